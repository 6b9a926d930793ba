/* Atomic file replacement (contract in file.h). */
#define _XOPEN_SOURCE 700 /* POSIX 2008 with realpath */

#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* How many temporary names are tried before giving up (each is unique per
 * process and call; a clash means a leftover of a killed run). */
#define TMP_TRIES 16

/* PL_ERR_IO with the reason of errno e. */
static pl_status write_failed(pl_error *err, const char *path, int e)
{
    char reason[128];
    if (strerror_r(e, reason, sizeof reason) != 0)
        snprintf(reason, sizeof reason, "error %d", e);
    return pl_error_set(err, PL_ERR_IO, "cannot write '%s': %s", path, reason);
}

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Syncs the folder of path so the rename survives a power loss, not only a
 * crash of this process. Failure is ignored: some file systems refuse. */
static void sync_folder_of(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    int fd;
    if (!slash)
        strcpy(dir, ".");
    else if (n == 0)
        strcpy(dir, "/");
    else if (n < sizeof dir) {
        memcpy(dir, path, n);
        dir[n] = '\0';
    } else
        return;
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

pl_status pl_file_write_atomic(const char *path, const char *data, size_t len, pl_error *err)
{
    static unsigned serial;
    char target[PATH_MAX], tmp[PATH_MAX + 64];
    struct stat st;
    int fd = -1, tries, have_mode = 0, e;

    if (!path || !*path || (!data && len))
        return pl_error_set(err, PL_ERR_INVALID_ARGUMENT, "NULL or empty argument");
    if (strlen(path) >= sizeof target)
        return pl_error_set(err, PL_ERR_IO, "cannot write '%s': File name too long", path);
    strcpy(target, path);
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        /* Replace what the link points to, not the link. */
        char *real = realpath(path, NULL);
        if (real && strlen(real) < sizeof target)
            strcpy(target, real);
        free(real);
    }
    if (stat(target, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return write_failed(err, path, EISDIR);
        have_mode = 1;
    }
    for (tries = 0; tries < TMP_TRIES && fd < 0; tries++) {
        snprintf(tmp, sizeof tmp, "%s.policylink-%ld-%u.tmp", target, (long)getpid(),
                 (unsigned)time(NULL) ^ (++serial * 2654435761u));
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            return write_failed(err, path, errno);
    }
    if (fd < 0)
        return write_failed(err, path, EEXIST);
    if ((have_mode && fchmod(fd, st.st_mode & 07777) != 0) || write_all(fd, data, len) != 0 ||
        fsync(fd) != 0) {
        e = errno;
        close(fd);
        unlink(tmp);
        return write_failed(err, path, e);
    }
    if (close(fd) != 0 || rename(tmp, target) != 0) {
        e = errno;
        unlink(tmp);
        return write_failed(err, path, e);
    }
    sync_folder_of(target);
    pl_error_clear(err);
    return PL_OK;
}
