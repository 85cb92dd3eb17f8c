/*
 * CPUID exits through the dispatch table; the logic is in exit_cpuid.h
 * (inline, so the vCPU loop's fast path and this share one definition).
 */
#include "exit_cpuid.h"

enum exit_action exit_cpuid(struct vcpu *v) { return exit_cpuid_inline(v); }
