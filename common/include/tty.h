/*
 * The terminal: console input through a line discipline, console output.
 * Cooked mode (default): echo, Backspace, Ctrl-U, Enter ends a line, read
 * returns at most one line. Raw mode (ioctl TTY_SET_RAW, used by the shell,
 * which edits lines itself): no echo, bytes as typed. Ctrl-C kills the
 * foreground process (ioctl TTY_SET_FOREGROUND); the kill happens in the
 * terminal's input thread, never in interrupt context.
 */
#pragma once

#include "types.h"

struct file;

/* Create the terminal file and start its input thread (scheduler running
   or about to). */
void tty_init(void);
/* A new reference to the terminal file (for fds 0/1/2); NULL if out of memory. */
struct file *tty_open(void);
/* ioctl on a terminal file: 0 / a value, -ENOTTY when f is not the terminal,
   -EINVAL for an unknown command. */
int64_t tty_ioctl(struct file *f, int cmd, uint64_t arg);
/* Feed one input byte through the line discipline (thread context). */
void tty_input(char c);
