/*
 * Number parsing: strtoull is the one parser (C semantics: leading space,
 * optional sign, base 0 = auto 0x/0 prefix, saturation with errno = ERANGE,
 * *end = first unparsed char or s when nothing was parsed); the signed and
 * shorter variants clamp its result. Pure code apart from errno.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

static int digit_value(int c)
{
    if (isdigit(c))
        return c - '0';
    if (isalpha(c))
        return tolower(c) - 'a' + 10;
    return 99;
}

/* Skip space and sign and the base prefix; returns the first digit. */
static const char *parse_prefix(const char *s, int *base, int *negative)
{
    while (isspace((unsigned char)*s))
        s++;
    *negative = 0;
    if (*s == '+' || *s == '-')
        *negative = *s++ == '-';
    if ((*base == 0 || *base == 16) && s[0] == '0' && tolower(s[1]) == 'x' &&
        digit_value((unsigned char)s[2]) < 16) {
        *base = 16;
        return s + 2;
    }
    if (*base == 0)
        *base = s[0] == '0' ? 8 : 10;
    return s;
}

/* Parse digits into *value (saturating); returns the first non-digit. */
static const char *parse_digits(const char *p, int base, uint64_t *value,
                                int *overflow)
{
    uint64_t v = 0;
    *overflow = 0;
    for (;; p++) {
        int d = digit_value((unsigned char)*p);
        if (d >= base)
            break;
        if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
            *overflow = 1;
        else
            v = v * (uint64_t)base + (uint64_t)d;
    }
    *value = *overflow ? UINT64_MAX : v;
    return p;
}

/* Common core: magnitude, sign and overflow of the number at s. */
static int parse_number(const char *s, char **end, int base, uint64_t *mag,
                        int *negative)
{
    *mag = 0;
    *negative = 0;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        if (end)
            *end = (char *)s;
        return 0;
    }
    const char *digits = parse_prefix(s, &base, negative);
    int overflow;
    const char *p = parse_digits(digits, base, mag, &overflow);
    if (end)
        *end = (char *)(p == digits ? s : p);
    return overflow;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
    uint64_t mag;
    int negative;
    if (parse_number(s, end, base, &mag, &negative)) {
        errno = ERANGE;
        return ULLONG_MAX;
    }
    return negative ? (unsigned long long)(0 - mag) : mag;
}

long long strtoll(const char *s, char **end, int base)
{
    uint64_t mag;
    int negative;
    int overflow = parse_number(s, end, base, &mag, &negative);
    if (!negative && (overflow || mag > (uint64_t)LLONG_MAX)) {
        errno = ERANGE;
        return LLONG_MAX;
    }
    if (negative && (overflow || mag > (uint64_t)LLONG_MAX + 1)) {
        errno = ERANGE;
        return LLONG_MIN;
    }
    return negative ? (long long)(0 - mag) : (long long)mag;
}

long strtol(const char *s, char **end, int base)
{
    return (long)strtoll(s, end, base);
}

unsigned long strtoul(const char *s, char **end, int base)
{
    return (unsigned long)strtoull(s, end, base);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

int atoi(const char *s)
{
    long v = strtol(s, NULL, 10);
    if (v > INT_MAX)
        return INT_MAX;
    if (v < INT_MIN)
        return INT_MIN;
    return (int)v;
}

int abs(int x)
{
    return x < 0 ? -x : x;
}

long labs(long x)
{
    return x < 0 ? -x : x;
}
