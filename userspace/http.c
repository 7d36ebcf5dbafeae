// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal HTTP/1.1 client for http:// URLs (no TLS): one GET, the whole
 * body, with timeouts; enough to read a Go service's /debug/pprof/heap or
 * /debug/vars. Chunked and length-delimited bodies both.
 */
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"

#define HTTP_TIMEOUT_MS 10000
#define HTTP_MAX_BYTES (64 << 20)

static int fail(char *err, size_t len, const char *what, const char *detail)
{
	snprintf(err, len, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
	return -1;
}

/* "http://host[:port]/path" into its parts; -1 if it is no such URL. */
static int split_url(const char *url, char *host, size_t hlen, char *port,
		     size_t plen, const char **path)
{
	const char *h = url + strlen("http://"), *end, *colon;
	size_t n;

	if (strncmp(url, "http://", 7))
		return -1;
	end = h + strcspn(h, "/?#");
	*path = *end == '/' ? end : "/";
	if (*h == '[') {		/* [v6 address] */
		const char *close = memchr(h, ']', end - h);

		if (!close)
			return -1;
		n = close - h - 1;
		colon = close[1] == ':' ? close + 1 : NULL;
		h++;
	} else {
		colon = memchr(h, ':', end - h);
		n = (colon ? colon : end) - h;
	}
	if (!n || n >= hlen)
		return -1;
	memcpy(host, h, n);
	host[n] = '\0';
	n = colon ? (size_t)(end - colon - 1) : 2;
	if (n >= plen || (colon && !n))
		return -1;
	if (colon) {
		memcpy(port, colon + 1, n);
		port[n] = '\0';
	} else {
		strcpy(port, "80");
	}
	return 0;
}

static int wait_fd(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do
		r = poll(&p, 1, HTTP_TIMEOUT_MS);
	while (r < 0 && errno == EINTR);
	if (!r)
		errno = ETIMEDOUT;
	return r > 0 ? 0 : -1;
}

static int connect_to(const char *host, const char *port, char *err, size_t len)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai, *a;
	int r = getaddrinfo(host, port, &hints, &ai), fd = -1, e = 0;

	if (r)
		return fail(err, len, host, gai_strerror(r));
	for (a = ai; a && fd < 0; a = a->ai_next) {
		socklen_t sl = sizeof(e);

		fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
			    SOCK_CLOEXEC, a->ai_protocol);
		if (fd < 0) {
			e = errno;
			continue;
		}
		if ((connect(fd, a->ai_addr, a->ai_addrlen) && errno != EINPROGRESS) ||
		    wait_fd(fd, POLLOUT) ||
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &sl) || e) {
			if (!e)
				e = errno;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0)
		return fail(err, len, "cannot connect", strerror(e));
	return fd;
}

/* The body of a chunked response, decoded in place; -1 if malformed. */
static long dechunk(char *body, size_t len)
{
	char *in = body, *out = body, *end = body + len;

	for (;;) {
		char *line_end, *next;
		unsigned long n = strtoul(in, &next, 16);

		if (next == in)
			return -1;
		line_end = memchr(in, '\n', end - in);
		if (!line_end)
			return -1;
		in = line_end + 1;
		if (!n)
			return out - body;
		if ((size_t)(end - in) < n + 2)
			return -1;
		memmove(out, in, n);
		out += n;
		in += n;
		in += in[0] == '\r' ? 2 : 1;
	}
}

static char *read_all(int fd, size_t *len, char *err, size_t elen)
{
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);

	while (buf) {
		ssize_t r;

		if (n == cap) {
			char *nb = cap >= HTTP_MAX_BYTES ? NULL : realloc(buf, 2 * cap + 1);

			if (!nb) {
				free(buf);
				fail(err, elen, "response too large or out of memory", NULL);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		if (wait_fd(fd, POLLIN))
			break;
		r = read(fd, buf + n, cap - n);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			if (!r) {
				buf[n] = '\0';
				*len = n;
				return buf;
			}
			break;
		}
		n += r;
	}
	fail(err, elen, "reading the response", strerror(errno));
	free(buf);
	return NULL;
}

char *http_get(const char *url, char *err, size_t elen)
{
	char host[256], port[16], req[4096], *resp, *body, *h;
	const char *path;
	size_t len, sent = 0, rlen;
	int fd, code;

	if (split_url(url, host, sizeof(host), port, sizeof(port), &path))
		return fail(err, elen, "not an http:// URL (no TLS: for https, save the page and give the file)", NULL), NULL;
	rlen = snprintf(req, sizeof(req),
			"GET %s HTTP/1.1\r\nHost: %s:%s\r\nUser-Agent: memacct\r\n"
			"Accept: */*\r\nConnection: close\r\n\r\n", path, host, port);
	if (rlen >= sizeof(req))
		return fail(err, elen, "URL too long", NULL), NULL;
	fd = connect_to(host, port, err, elen);
	if (fd < 0)
		return NULL;
	while (sent < rlen) {
		ssize_t w = send(fd, req + sent, rlen - sent, MSG_NOSIGNAL);

		if (w < 0 && (errno == EINTR || errno == EAGAIN) && !wait_fd(fd, POLLOUT))
			continue;
		if (w < 0) {
			close(fd);
			return fail(err, elen, "sending the request", strerror(errno)), NULL;
		}
		sent += w;
	}
	resp = read_all(fd, &len, err, elen);
	close(fd);
	if (!resp)
		return NULL;
	body = strstr(resp, "\r\n\r\n");
	if (strncmp(resp, "HTTP/1.", 7) || !body ||
	    sscanf(resp + 8, " %d", &code) != 1) {
		free(resp);
		return fail(err, elen, "not an HTTP response", NULL), NULL;
	}
	*body = '\0';
	body += 4;
	if (code != 200) {
		char line[128];

		snprintf(line, sizeof(line), "%.*s", (int)strcspn(resp, "\r\n"), resp);
		free(resp);
		return fail(err, elen, "the server answered", line), NULL;
	}
	len -= body - resp;
	for (h = resp; (h = strchr(h, '\n')); ) {
		h++;
		if (!strncasecmp(h, "transfer-encoding:", 18) && strstr(h, "chunked")) {
			long n = dechunk(body, len);

			if (n < 0) {
				free(resp);
				return fail(err, elen, "a malformed chunked response", NULL), NULL;
			}
			len = n;
			break;
		}
	}
	memmove(resp, body, len);
	resp[len] = '\0';
	return resp;
}
