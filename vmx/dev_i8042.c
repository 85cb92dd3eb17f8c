/*
 * 8042 keyboard controller and port 0x92 (dev_i8042.h). Status register
 * bits and commands: IBM PC/AT Technical Reference ("Keyboard Controller",
 * "Status Register", "Commands (I/O Address Hex 64)"); port 0x92: IBM PS/2
 * Hardware Interface Technical Reference ("System Control Port A"). Pure C,
 * called with the platform lock held.
 */
#include "dev_i8042.h"
#include "kstring.h"

#define ST_OBF 0x01
#define ST_SYS 0x04
#define ST_CMD 0x08          /* the last write went to 0x64 */
#define ST_UNLOCKED 0x10     /* keyboard not inhibited */
#define ST_AUX 0x20          /* the output byte is from the aux port */
#define CB_SYS 0x04
#define CB_KBD_OFF 0x10
#define CB_AUX_OFF 0x20
#define CB_DEFAULT 0x45      /* IRQ1 enabled, system flag, scan-code translation */
#define OUT_RESET 0x01       /* 0 holds the CPU in reset */
#define OUT_A20 0x02
#define OUT_DEFAULT 0x03
#define P92_RESET 0x01
#define P92_A20 0x02
#define SELF_TEST_OK 0x55
#define INPUT_PORT 0xBF      /* keyboard not inhibited, colour display, 512+ KiB */

void i8042_init(struct i8042 *k, void (*reset)(void *ctx), void *ctx)
{
    memset(k, 0, sizeof(*k));
    k->cmd_byte = CB_DEFAULT;
    k->out_port = OUT_DEFAULT;
    k->port92 = P92_A20;
    k->reset = reset;
    k->ctx = ctx;
}

static void push(struct i8042 *k, uint8_t b, bool aux)
{
    if (k->outq_len == I8042_OUTQ)
        return;
    k->outq_aux[k->outq_len] = aux;
    k->outq[k->outq_len++] = b;
}

static void request_reset(struct i8042 *k)
{
    if (k->reset)
        k->reset(k->ctx);
}

static void command(struct i8042 *k, uint8_t c)
{
    switch (c) {
    case 0x20: push(k, k->cmd_byte, false); break;
    case 0x60: case 0xD1: case 0xD2: case 0xD3: case 0xD4: k->pending = c; break;
    case 0xA7: k->cmd_byte |= CB_AUX_OFF; break;
    case 0xA8: k->cmd_byte &= (uint8_t)~CB_AUX_OFF; break;
    case 0xA9: case 0xAB: push(k, 0x00, false); break;   /* interface test: no error */
    case 0xAA:
        k->cmd_byte |= CB_SYS;
        push(k, SELF_TEST_OK, false);
        break;
    case 0xAD: k->cmd_byte |= CB_KBD_OFF; break;
    case 0xAE: k->cmd_byte &= (uint8_t)~CB_KBD_OFF; break;
    case 0xC0: push(k, INPUT_PORT, false); break;
    case 0xD0: push(k, k->out_port, false); break;
    case 0xDD: k->out_port &= (uint8_t)~OUT_A20; break;
    case 0xDF: k->out_port |= OUT_A20; break;
    default:
        if (c >= 0xF0 && !(c & OUT_RESET))   /* pulse the lines whose bits are 0; bit 0 is reset */
            request_reset(k);
        break;
    }
}

static void data(struct i8042 *k, uint8_t v)
{
    uint8_t c = k->pending;
    k->pending = 0;
    switch (c) {
    case 0x60: k->cmd_byte = v; break;
    case 0xD1:
        k->out_port = v;
        if (!(v & OUT_RESET))
            request_reset(k);
        break;
    case 0xD2: push(k, v, false); break;
    case 0xD3: push(k, v, true); break;
    default: break;   /* 0xD4 or a byte for the keyboard: nobody is attached */
    }
}

uint8_t i8042_read(struct i8042 *k, uint16_t port)
{
    if (port == SYSCTL_A_PORT)
        return k->port92 & P92_A20;
    if (port == I8042_CMD) {
        uint8_t st = ST_UNLOCKED | (k->cmd_byte & CB_SYS) | (k->last_was_cmd ? ST_CMD : 0);
        if (k->outq_len)
            st |= ST_OBF | (k->outq_aux[0] ? ST_AUX : 0);
        return st;
    }
    if (!k->outq_len)
        return 0;   /* the last byte stays readable on hardware; nothing was ever there */
    uint8_t b = k->outq[0];
    k->outq_len--;
    memmove(k->outq, k->outq + 1, k->outq_len);
    memmove(k->outq_aux, k->outq_aux + 1, k->outq_len);
    return b;
}

void i8042_write(struct i8042 *k, uint16_t port, uint8_t v)
{
    if (port == SYSCTL_A_PORT) {
        k->port92 = v & P92_A20;
        if (v & P92_RESET)
            request_reset(k);
    } else if (port == I8042_CMD) {
        k->last_was_cmd = true;
        k->pending = 0;
        command(k, v);
    } else {
        k->last_was_cmd = false;
        data(k, v);
    }
}

/* The two gates are ORed on the board. */
bool i8042_a20(const struct i8042 *k) { return (k->out_port & OUT_A20) || (k->port92 & P92_A20); }

uint32_t i8042_io_read(void *dev, uint16_t port, unsigned size)
{
    UNUSED(size);
    return i8042_read(dev, port);
}

void i8042_io_write(void *dev, uint16_t port, unsigned size, uint32_t value)
{
    UNUSED(size);
    i8042_write(dev, port, (uint8_t)value);
}
