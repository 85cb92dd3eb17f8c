/*
 * spawntree [DEPTH] [WIDTH]: a tree of processes. A node at depth d > 0
 * spawns WIDTH children running `spawntree d-1 WIDTH` and waits for each;
 * every process exits with the number of processes in its subtree, so the
 * root can check the total against (WIDTH^(DEPTH+1) - 1) / (WIDTH - 1).
 * Exit statuses are small ints, so the tree is limited to 200 processes.
 * Child processes are marked with a third argument "child" and stay silent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_NODES 200

static long expected_nodes(long depth, long width)
{
    long total = 0, level = 1;
    for (long d = 0; d <= depth; d++) {
        total += level;
        level *= width;
    }
    return total;
}

/* Spawn and wait for this node's children; returns the subtree size or -1. */
static int grow(int depth, int width)
{
    int count = 1;
    if (depth == 0)
        return count;
    char dbuf[16], wbuf[16];
    snprintf(dbuf, sizeof(dbuf), "%d", depth - 1);
    snprintf(wbuf, sizeof(wbuf), "%d", width);
    char *argv[] = { "spawntree", dbuf, wbuf, "child", NULL };
    for (int i = 0; i < width; i++) {
        pid_t pid = spawn("/bin/spawntree", argv);
        if (pid < 0) {
            printf("spawntree: spawn at depth %d failed: %s\n", depth, strerror(errno));
            return -1;
        }
        int status = -1;
        if (waitpid(pid, &status) != pid || status < 1) {
            printf("spawntree: child %d ended with status %d\n", pid, status);
            return -1;
        }
        count += status;
    }
    return count;
}

int main(int argc, char **argv)
{
    int depth = argc > 1 ? atoi(argv[1]) : 3;
    int width = argc > 2 ? atoi(argv[2]) : 2;
    int is_child = argc > 3 && strcmp(argv[3], "child") == 0;
    if (is_child) {
        int n = grow(depth, width);
        return n < 0 ? 0 : n;
    }
    long expected = expected_nodes(depth, width);
    if (depth < 0 || width < 1 || expected > MAX_NODES) {
        printf("usage: spawntree [DEPTH] [WIDTH] (at most %d processes)\n", MAX_NODES);
        return 2;
    }
    int n = grow(depth, width);
    printf("spawntree: depth %d width %d: %d processes (expected %ld)\n",
           depth, width, n, expected);
    if (n != expected) {
        printf("spawntree: FAILED\n");
        return 1;
    }
    printf("spawntree: ok\n");
    return 0;
}
