/*
 * The target description the GDB stub sends for qXfer:features:read
 * (gdb manual, Appendix G "Target Descriptions"; the feature and register
 * names gdb's amd64 code looks for are those of its i386 features, G.5.1).
 * One self-contained document, registers in the order of the `g` packet
 * (gdb_arch.h): the core feature (GPRs, rip, eflags, selectors, x87 - which
 * gdb requires and the kernel never uses), fs_base/gs_base, and the system
 * registers (CR0, CR2, CR3, CR4, EFER) in a feature of our own.
 */
#include "gdb_arch.h"

#define R64(n, t) "<reg name=\"" n "\" bitsize=\"64\" type=\"" t "\"/>"
#define R32(n) "<reg name=\"" n "\" bitsize=\"32\" type=\"int32\"/>"
#define RF(n) "<reg name=\"" n "\" bitsize=\"32\" type=\"int\" group=\"float\"/>"
#define ST(n) "<reg name=\"" n "\" bitsize=\"80\" type=\"i387_ext\"/>"
#define FLAG(n, b) "<field name=\"" n "\" start=\"" #b "\" end=\"" #b "\"/>"

static const char target_xml[] =
    "<?xml version=\"1.0\"?>"
    "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
    "<target version=\"1.0\">"
    "<architecture>i386:x86-64</architecture>"
    "<feature name=\"org.gnu.gdb.i386.core\">"
    "<flags id=\"sweb_eflags\" size=\"4\">"
    FLAG("CF", 0) FLAG("PF", 2) FLAG("AF", 4) FLAG("ZF", 6) FLAG("SF", 7) FLAG("TF", 8) FLAG("IF", 9)
    FLAG("DF", 10) FLAG("OF", 11) FLAG("NT", 14) FLAG("RF", 16) FLAG("VM", 17) FLAG("AC", 18) FLAG("ID", 21)
    "</flags>"
    R64("rax", "int64") R64("rbx", "int64") R64("rcx", "int64") R64("rdx", "int64")
    R64("rsi", "int64") R64("rdi", "int64") R64("rbp", "data_ptr") R64("rsp", "data_ptr")
    R64("r8", "int64") R64("r9", "int64") R64("r10", "int64") R64("r11", "int64")
    R64("r12", "int64") R64("r13", "int64") R64("r14", "int64") R64("r15", "int64")
    R64("rip", "code_ptr")
    "<reg name=\"eflags\" bitsize=\"32\" type=\"sweb_eflags\"/>"
    R32("cs") R32("ss") R32("ds") R32("es") R32("fs") R32("gs")
    ST("st0") ST("st1") ST("st2") ST("st3") ST("st4") ST("st5") ST("st6") ST("st7")
    RF("fctrl") RF("fstat") RF("ftag") RF("fiseg") RF("fioff") RF("foseg") RF("fooff") RF("fop")
    "</feature>"
    "<feature name=\"org.gnu.gdb.i386.segments\">"
    R64("fs_base", "int") R64("gs_base", "int")
    "</feature>"
    "<feature name=\"org.sweb.x86.system\">"
    "<reg name=\"cr0\" bitsize=\"64\" type=\"int\" group=\"system\"/>"
    "<reg name=\"cr2\" bitsize=\"64\" type=\"int\" group=\"system\"/>"
    "<reg name=\"cr3\" bitsize=\"64\" type=\"int\" group=\"system\"/>"
    "<reg name=\"cr4\" bitsize=\"64\" type=\"int\" group=\"system\"/>"
    "<reg name=\"efer\" bitsize=\"64\" type=\"int\" group=\"system\"/>"
    "</feature>"
    "</target>";

const char *gdb_x86_target_xml(size_t *len)
{
    *len = sizeof(target_xml) - 1;
    return target_xml;
}
