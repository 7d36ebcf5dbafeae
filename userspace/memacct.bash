# SPDX-License-Identifier: GPL-2.0
# bash completion for memacct(1): commands, options, pids, cgroup paths.
_memacct_cgroups()
{
	local root=${MEMACCT_CGROUP_ROOT:-/sys/fs/cgroup}
	COMPREPLY=($(cd "$root" 2> /dev/null &&
		compgen -d -S / -- "${cur#/}" | sed 's|^|/|'))
	compopt -o nospace 2> /dev/null
}

_memacct()
{
	local cur prev cmd i
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-d|-n|-s|-o|--go|--textfile) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $prev in
	-o) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--textfile) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--go) COMPREPLY=($(compgen -f -W 'http://' -- "$cur")); return ;;
	-d|-n|-s) return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W '-b --json --prometheus -d -n -s -p -o
			--go --textfile -h --help' -- "$cur"))
		return
	fi
	case $cmd in
	'')
		COMPREPLY=($(compgen -W 'cgroup task maps files explain validate
			top snapshot diff report export watch' -- "$cur")) ;;
	task|maps)
		COMPREPLY=($(compgen -W "$(ls /proc | grep '^[0-9]*$')" -- "$cur")) ;;
	cgroup|files|explain|watch|snapshot|validate)
		_memacct_cgroups ;;
	diff)
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	report)
		COMPREPLY=($(compgen -f -- "$cur"))
		[[ $cur == /* ]] && _memacct_cgroups ;;
	esac
}
complete -F _memacct memacct
