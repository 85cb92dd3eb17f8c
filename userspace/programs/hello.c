/* hello: greet, show the process id and the arguments. */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    printf("Hello from userspace! (pid %d)\n", getpid());
    for (int i = 1; i < argc; i++)
        printf("argv[%d] = %s\n", i, argv[i]);
    return 0;
}
