/* SPDX-License-Identifier: GPL-2.0 */
/* The debugfs files, one source file each. */
#ifndef MEMACCT_FILES_H
#define MEMACCT_FILES_H

#include <linux/fs.h>

extern const struct file_operations memacct_tasks_fops;
extern const struct file_operations memacct_task_fops;
extern const struct file_operations memacct_maps_fops;

#endif /* MEMACCT_FILES_H */
