/* Structures passed between userspace and the kernel by system calls. */
#pragma once

#include <stdint.h>

/* open() flags */
#define O_RDONLY 0
#define O_WRONLY 1
#define O_RDWR 2
#define O_ACCMODE 3
#define O_CREAT 0x40
#define O_TRUNC 0x200
#define O_APPEND 0x400

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define PATH_MAX 256
#define NAME_MAX 64

#define S_IFREG 1
#define S_IFDIR 2
#define S_IFCHR 3
#define S_IFIFO 4     /* a pipe */

struct stat {
    uint32_t type;      /* S_IF* */
    uint32_t reserved;
    uint64_t size;      /* bytes */
};

struct dirent {
    uint32_t type;      /* S_IF* */
    uint32_t reserved;
    uint64_t size;
    char name[NAME_MAX];
};

struct clock_info {
    uint64_t ticks;     /* timer ticks since boot */
    uint64_t hz;        /* ticks per second */
    uint64_t ns;        /* nanoseconds since boot */
};

#define PROC_NAME_MAX 32
struct proc_info {
    int32_t pid;
    int32_t parent;
    int32_t threads;
    int32_t state;      /* 0 running, 1 zombie */
    uint64_t pages;     /* user pages owned */
    char name[PROC_NAME_MAX];
};

struct meminfo {
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t used_pages;
    uint64_t kheap_bytes;
};
