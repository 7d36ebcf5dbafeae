// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal HTTP/1.1 client for http:// URLs (no TLS): one GET, the whole
 * body within 10 s from connect to the last byte (name resolution not
 * included); enough to read a Go service's /debug/pprof/heap or
 * /debug/vars. Chunked bodies are decoded; others end with the connection
 * (Connection: close).
 */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
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

/* One deadline for the whole exchange, connect to the last byte. */
static struct timespec deadline;

static void start_clock(void)
{
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += HTTP_TIMEOUT_MS / 1000;
}

static int wait_fd(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	int r;

	do {
		struct timespec now;
		long long left;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (deadline.tv_sec - now.tv_sec) * 1000LL +
		       (deadline.tv_nsec - now.tv_nsec) / 1000000;
		r = left > 0 ? poll(&p, 1, (int)left) : 0;
	} while (r < 0 && errno == EINTR);
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
long http_dechunk(char *body, size_t len)
{
	char *in = body, *out = body, *end = body + len;

	for (;;) {
		size_t n = 0, avail;
		char *line_end;
		int digits = 0;

		/* Hex digits only: no sign, no 0x, no overflow. */
		for (; in < end && isxdigit((unsigned char)*in); in++, digits++) {
			if (digits == 15)
				return -1;
			n = n * 16 + (size_t)(isdigit((unsigned char)*in) ? *in - '0' :
					      (tolower((unsigned char)*in) - 'a' + 10));
		}
		if (!digits)
			return -1;
		line_end = memchr(in, '\n', end - in);
		if (!line_end)
			return -1;
		in = line_end + 1;
		if (!n)
			return out - body;
		avail = end - in;
		if (avail < 2 || n > avail - 2)
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

char *http_get(const char *url, char *err, size_t elen, int *bad_url)
{
	char host[256], port[16], req[4096], *resp, *body, *h;
	const char *path;
	size_t len, sent = 0, rlen;
	int fd, code, v6;

	*bad_url = 0;
	if (split_url(url, host, sizeof(host), port, sizeof(port), &path)) {
		*bad_url = 1;
		return fail(err, elen, "not an http://HOST[:PORT]/PATH URL (no TLS: for https, save the page and give the file)", NULL), NULL;
	}
	v6 = strchr(host, ':') != NULL;
	rlen = snprintf(req, sizeof(req),
			"GET %s HTTP/1.1\r\nHost: %s%s%s:%s\r\nUser-Agent: memacct\r\n"
			"Accept: */*\r\nConnection: close\r\n\r\n", path,
			v6 ? "[" : "", host, v6 ? "]" : "", port);
	if (rlen >= sizeof(req)) {
		*bad_url = 1;
		return fail(err, elen, "URL too long", NULL), NULL;
	}
	start_clock();
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
		size_t vlen;
		const char *v;

		h++;
		if (strncasecmp(h, "transfer-encoding:", 18))
			continue;
		v = h + 18 + strspn(h + 18, " \t");
		vlen = strcspn(v, "\r\n");
		while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
			vlen--;
		/* chunked is last when present (RFC 9112 6.1) */
		if (vlen >= 7 && !strncasecmp(v + vlen - 7, "chunked", 7)) {
			long n = http_dechunk(body, len);

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
