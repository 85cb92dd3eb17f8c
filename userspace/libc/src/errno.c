/*
 * errno and the texts of every error number in uapi/errno.h. One table maps
 * a number to its symbol and its message; strerror and errno_name read it.
 * errno is one global (shared by all threads of a process: good enough for
 * a teaching libc; read it right after the failing call).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

int errno;

struct errno_text {
    int number;
    const char *name;
    const char *message;
};

static const struct errno_text errno_table[] = {
    { 0, "OK", "Success" },
    { EPERM, "EPERM", "Operation not permitted" },
    { ENOENT, "ENOENT", "No such file or directory" },
    { ESRCH, "ESRCH", "No such process" },
    { EINTR, "EINTR", "Interrupted system call" },
    { EIO, "EIO", "Input/output error" },
    { ENXIO, "ENXIO", "No such device or address" },
    { E2BIG, "E2BIG", "Argument list too long" },
    { ENOEXEC, "ENOEXEC", "Exec format error" },
    { EBADF, "EBADF", "Bad file descriptor" },
    { ECHILD, "ECHILD", "No child processes" },
    { EAGAIN, "EAGAIN", "Resource temporarily unavailable" },
    { ENOMEM, "ENOMEM", "Out of memory" },
    { EACCES, "EACCES", "Permission denied" },
    { EFAULT, "EFAULT", "Bad address" },
    { EBUSY, "EBUSY", "Device or resource busy" },
    { EEXIST, "EEXIST", "File exists" },
    { ENODEV, "ENODEV", "No such device" },
    { ENOTDIR, "ENOTDIR", "Not a directory" },
    { EISDIR, "EISDIR", "Is a directory" },
    { EINVAL, "EINVAL", "Invalid argument" },
    { ENFILE, "ENFILE", "Too many open files in system" },
    { EMFILE, "EMFILE", "Too many open files" },
    { ENOTTY, "ENOTTY", "Not a terminal" },
    { EFBIG, "EFBIG", "File too large" },
    { ENOSPC, "ENOSPC", "No space left on device" },
    { ESPIPE, "ESPIPE", "Illegal seek" },
    { EROFS, "EROFS", "Read-only file system" },
    { EPIPE, "EPIPE", "Broken pipe" },
    { ERANGE, "ERANGE", "Result out of range" },
    { EDEADLK, "EDEADLK", "Resource deadlock avoided" },
    { ENAMETOOLONG, "ENAMETOOLONG", "File name too long" },
    { ENOSYS, "ENOSYS", "Function not implemented" },
    { ENOTEMPTY, "ENOTEMPTY", "Directory not empty" },
    { EOVERFLOW, "EOVERFLOW", "Value too large for defined data type" },
    { ETIMEDOUT, "ETIMEDOUT", "Connection timed out" },
    { EALREADY, "EALREADY", "Operation already in progress" },
};

static const struct errno_text *errno_lookup(int err)
{
    for (size_t i = 0; i < sizeof(errno_table) / sizeof(errno_table[0]); i++) {
        if (errno_table[i].number == err)
            return &errno_table[i];
    }
    return NULL;
}

const char *errno_name(int err)
{
    const struct errno_text *t = errno_lookup(err);
    return t ? t->name : NULL;
}

char *strerror(int err)
{
    const struct errno_text *t = errno_lookup(err < 0 ? -err : err);
    return (char *)(t ? t->message : "Unknown error");
}
