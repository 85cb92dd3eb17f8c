/*
 * threadtest [THREADS] [INCREMENTS]: THREADS threads each add 1 to a shared
 * counter INCREMENTS times under a mutex, with an occasional yield so the
 * threads really interleave. The total must be exactly THREADS*INCREMENTS.
 * Each thread also returns its own count through pthread_join.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_THREADS 64

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;
static long increments = 10000;

static void *worker(void *arg)
{
    long done = 0;
    (void)arg;
    for (long i = 0; i < increments; i++) {
        pthread_mutex_lock(&counter_lock);
        long v = counter;
        if (i % 1000 == 0)
            sched_yield();      /* give the others a chance inside the lock */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
        done++;
    }
    return (void *)(uintptr_t)done;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 8;
    if (argc > 2)
        increments = atol(argv[2]);
    if (threads < 1 || threads > MAX_THREADS || increments < 0) {
        printf("usage: threadtest [THREADS 1..%d] [INCREMENTS]\n", MAX_THREADS);
        return 2;
    }
    pthread_t t[MAX_THREADS];
    for (int i = 0; i < threads; i++) {
        int err = pthread_create(&t[i], NULL, worker, NULL);
        if (err) {
            printf("threadtest: pthread_create %d failed: error %d\n", i, err);
            return 1;
        }
    }
    long returned = 0;
    for (int i = 0; i < threads; i++) {
        void *result;
        int err = pthread_join(t[i], &result);
        if (err) {
            printf("threadtest: pthread_join %d failed: error %d\n", i, err);
            return 1;
        }
        returned += (long)(uintptr_t)result;
    }
    long expected = threads * increments;
    printf("threadtest: %d threads x %ld increments = %ld (expected %ld)\n",
           threads, increments, counter, expected);
    if (counter != expected || returned != expected) {
        printf("threadtest: FAILED (joined threads report %ld)\n", returned);
        return 1;
    }
    printf("threadtest: ok\n");
    return 0;
}
