# Boot image: a GRUB ISO holding the kernel and the boot archive ("initrd"),
# which GRUB loads as the Multiboot2 module named "initrd".
#
# The archive (format: docs/architecture.md, "Boot archive") is packed by the
# host tool utils/mkinitrd.c from
#   /bin/<name>    every target in the global property SWEB_BIN_TARGETS
#                  (name = its OUTPUT_NAME or the target name), debug info stripped
#   /guests/<name> every file in SWEB_GUEST_FILES (built by SWEB_GUEST_TARGETS)
#   /              the tree userspace/data
#   /extra         the tree EXTRA_FILES_DIR, when that cache variable is set
# Included after add_subdirectory(userspace), so the properties are complete.
set(ISO_DIR ${CMAKE_BINARY_DIR}/isodir)
set(ISO_FILE ${CMAKE_BINARY_DIR}/sweb.iso)
set(INITRD_FILE ${CMAKE_BINARY_DIR}/initrd.img)

add_executable(mkinitrd ${CMAKE_SOURCE_DIR}/utils/mkinitrd.c)
target_include_directories(mkinitrd PRIVATE ${CMAKE_SOURCE_DIR}/common/include)
target_compile_options(mkinitrd PRIVATE -Wall -Wextra -Werror -O2)

get_property(sweb_bin_targets GLOBAL PROPERTY SWEB_BIN_TARGETS)
get_property(sweb_guest_files GLOBAL PROPERTY SWEB_GUEST_FILES)
get_property(sweb_guest_targets GLOBAL PROPERTY SWEB_GUEST_TARGETS)

set(initrd_args)
set(initrd_deps mkinitrd)
# Programs go in without their debug information (gdb reads the unstripped
# files in the build tree); that keeps the archive, and the boot, small.
set(INITRD_STAGING ${CMAKE_BINARY_DIR}/initrd_staging)
foreach(t IN LISTS sweb_bin_targets)
  get_target_property(name ${t} OUTPUT_NAME)
  if(name STREQUAL "name-NOTFOUND")     # not if(NOT name): "false" is a program
    set(name ${t})
  endif()
  set(staged ${INITRD_STAGING}/bin/${name})
  add_custom_command(OUTPUT ${staged}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${INITRD_STAGING}/bin
    COMMAND ${CMAKE_OBJCOPY} --strip-debug $<TARGET_FILE:${t}> ${staged}
    DEPENDS ${t}
    VERBATIM)
  list(APPEND initrd_args -f ${staged} /bin/${name})
  list(APPEND initrd_deps ${staged})
endforeach()
foreach(f IN LISTS sweb_guest_files)
  get_filename_component(name ${f} NAME)
  list(APPEND initrd_args -f ${f} /guests/${name})
  list(APPEND initrd_deps ${f})
endforeach()
list(APPEND initrd_deps ${sweb_guest_targets})

set(INITRD_DATA_DIR ${CMAKE_SOURCE_DIR}/userspace/data)
if(IS_DIRECTORY ${INITRD_DATA_DIR})
  file(GLOB_RECURSE initrd_data_files CONFIGURE_DEPENDS ${INITRD_DATA_DIR}/*)
  list(APPEND initrd_args -d ${INITRD_DATA_DIR} /)
  list(APPEND initrd_deps ${initrd_data_files})
endif()

if(EXTRA_FILES_DIR)
  get_filename_component(extra_dir ${EXTRA_FILES_DIR} ABSOLUTE BASE_DIR ${CMAKE_BINARY_DIR})
  if(NOT IS_DIRECTORY ${extra_dir})
    message(FATAL_ERROR "EXTRA_FILES_DIR=${EXTRA_FILES_DIR} is not a directory")
  endif()
  file(GLOB_RECURSE initrd_extra_files CONFIGURE_DEPENDS ${extra_dir}/*)
  list(APPEND initrd_args -d ${extra_dir} /extra)
  list(APPEND initrd_deps ${initrd_extra_files})
endif()

add_custom_command(OUTPUT ${INITRD_FILE}
  COMMAND mkinitrd -o ${INITRD_FILE} ${initrd_args}
  DEPENDS ${initrd_deps}
  COMMENT "Packing boot archive"
  VERBATIM)
add_custom_target(initrd DEPENDS ${INITRD_FILE})

set(GRUB_MODULES "    module2 /boot/initrd.img initrd" CACHE INTERNAL "module lines for grub.cfg")
configure_file(${CMAKE_SOURCE_DIR}/arch/x86_64/boot/grub.cfg.in ${CMAKE_BINARY_DIR}/grub.cfg @ONLY)

add_custom_command(OUTPUT ${ISO_FILE}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${ISO_DIR}/boot/grub
  # GRUB reads every byte of the kernel file: without debug info it is a
  # quarter of the size and Bochs boots measurably faster. gdb uses the
  # unstripped build/kernel.elf.
  COMMAND ${CMAKE_OBJCOPY} --strip-debug $<TARGET_FILE:kernel> ${ISO_DIR}/boot/kernel.elf
  COMMAND ${CMAKE_COMMAND} -E copy ${INITRD_FILE} ${ISO_DIR}/boot/initrd.img
  COMMAND ${CMAKE_COMMAND} -E copy ${CMAKE_BINARY_DIR}/grub.cfg ${ISO_DIR}/boot/grub/grub.cfg
  COMMAND ${CMAKE_SOURCE_DIR}/utils/mkiso.sh ${ISO_DIR} ${ISO_FILE}
  DEPENDS kernel ${INITRD_FILE} ${CMAKE_BINARY_DIR}/grub.cfg ${CMAKE_SOURCE_DIR}/utils/mkiso.sh
  COMMENT "Building boot ISO")
add_custom_target(iso ALL DEPENDS ${ISO_FILE})
