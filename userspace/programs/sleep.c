/* sleep MS: sleep the given number of milliseconds. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: sleep MILLISECONDS\n");
        return 2;
    }
    if (sleep_ms(strtoull(argv[1], NULL, 10)) < 0) {
        fprintf(stderr, "sleep: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
