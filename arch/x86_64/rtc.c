/*
 * Reading the host's CMOS clock (MC146818A datasheet: registers 0-9 and
 * 0x32, status A bit 7 = update in progress, status B bit 1 = 24 h, bit 2 =
 * binary). Used for the guests' RTC (vmx/platform.c). Any context; the
 * index/data pair is read with interrupts off.
 */
#include "rtc.h"
#include "x86.h"

#define RTC_INDEX 0x70
#define RTC_DATA 0x71
#define RTC_NMI_OFF 0x80       /* keep NMIs masked while the index is set */
#define A_UIP 0x80
#define B_24H 0x02
#define B_BINARY 0x04
#define HOUR_PM 0x80
#define UIP_TRIES 100000

static uint8_t reg(uint8_t r)
{
    outb(RTC_INDEX, (uint8_t)(r | RTC_NMI_OFF));
    return inb(RTC_DATA);
}

static unsigned bcd(uint8_t v, bool binary) { return binary ? v : (v >> 4) * 10 + (v & 0xF); }

void rtc_read(struct rtc_time *t)
{
    bool was = irq_save();
    for (int i = 0; i < UIP_TRIES && (reg(0x0A) & A_UIP); i++)
        ;
    uint8_t b = reg(0x0B), hour = reg(0x04);
    bool bin = (b & B_BINARY) != 0;
    t->second = bcd(reg(0x00), bin);
    t->minute = bcd(reg(0x02), bin);
    t->hour = bcd(hour & 0x7F, bin);
    if (!(b & B_24H))
        t->hour = t->hour % 12 + ((hour & HOUR_PM) ? 12 : 0);
    t->day = bcd(reg(0x07), bin);
    t->month = bcd(reg(0x08), bin);
    unsigned century = bcd(reg(0x32), bin);
    t->year = (century >= 19 && century <= 30 ? century : 20) * 100 + bcd(reg(0x09), bin);
    irq_restore(was);
}
