#ifndef WARTA_CLINUX_SHIM_H
#define WARTA_CLINUX_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/tcp.h>
#include <sys/sendfile.h>
#include <sys/mman.h>

// Declared by <sys/socket.h> only under _GNU_SOURCE, which the Glibc module is not built with.
extern int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
// Declared by <sys/mman.h> only under _GNU_SOURCE.
extern int memfd_create(const char *name, unsigned int flags);
static const unsigned int warta_MFD_CLOEXEC = 0x0001U;
#endif
