/*
 * rand/srand: a 32-bit linear congruential generator (the constants of the
 * C standard's example implementation), so a seed always gives the same
 * sequence on every machine -- fuzz runs are reproducible.
 */
#include <stdlib.h>

static unsigned int rand_state = 1;

int rand_r(unsigned int *state)
{
    *state = *state * 1103515245u + 12345u;
    unsigned int hi = (*state >> 16) & 0x7fff;
    *state = *state * 1103515245u + 12345u;
    return (int)((hi << 16) | ((*state >> 16) & 0xffff)) & RAND_MAX;
}

int rand(void)
{
    return rand_r(&rand_state);
}

void srand(unsigned int seed)
{
    rand_state = seed;
}
