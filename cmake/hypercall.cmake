# The hypercall numbers have one home, common/include/uapi/hypercall.h (C).
# NASM cannot read a C header, so every NASM source that makes hypercalls
# (the guests in userspace/guests and the kernel's self-test guests in
# vmx/selftest_guests.asm) gets them as -DHC_NAME=N, parsed from it here.
# Sets HYPERCALL_NASM_DEFS in the caller's scope.
get_filename_component(_hc_root ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)
set(HYPERCALL_H ${_hc_root}/common/include/uapi/hypercall.h)
file(STRINGS ${HYPERCALL_H} _hc_lines REGEX "^#define HC_[A-Z_]+ +[0-9]+")
set(HYPERCALL_NASM_DEFS "")
foreach(line IN LISTS _hc_lines)
  string(REGEX REPLACE "^#define (HC_[A-Z_]+) +([0-9]+).*" "-D\\1=\\2" def "${line}")
  list(APPEND HYPERCALL_NASM_DEFS ${def})
endforeach()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${HYPERCALL_H})
