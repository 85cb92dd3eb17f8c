/*
 * Shared between the files of the GDB protocol's command level
 * (common/debug/gdbstub*.c); nothing else includes this.
 */
#pragma once

#include "gdbstub.h"

/* "ADDR,LEN" (both hex) at *p. */
bool gdb_parse_addr_len(const char **p, const char *end, uint64_t *addr, uint64_t *len);
/* A thread id at *p: "-1" (all, returned as -1), "0" (any) or hex > 0. */
bool gdb_parse_thread_id(const char **p, const char *end, int *tid);
/* q... and Q... packets. */
void gdb_query(struct gdb_session *s, const char *pkt, size_t len, struct gdb_reply *r);
/* v... packets: vCont?, vCont;..., vMustReplyEmpty; returns how to resume. */
enum gdb_resume gdb_vpacket(struct gdb_session *s, const char *pkt, size_t len, struct gdb_reply *r);
