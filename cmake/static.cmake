# The static build (preset `static`, make static): every library is found as
# its .a archive and the program is linked with -static, so it runs on a
# host whose own libraries may have been replaced. An archive does not name
# the libraries it needs, so those are added here from pkg-config's
# --static lists. {fmt} has no archive in Debian: its header-only form.
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
set(OPENSSL_USE_STATIC_LIBS TRUE)
set(ZLIB_USE_STATIC_LIBS TRUE)
add_link_options(-static)
# g++ 12 inlines deeper with {fmt} header-only and then warns, wrongly, that
# std::variant storage may be used uninitialized; the other builds keep it.
add_compile_options(-Wno-maybe-uninitialized)

find_package(PkgConfig REQUIRED)
# LibArchive::LibArchive and SQLite::SQLite3 name only their own archive;
# the modules that use them find them again and get these targets.
find_package(LibArchive REQUIRED)
pkg_check_modules(LIBARCHIVE_STATIC REQUIRED libarchive libxml-2.0)
set_property(TARGET LibArchive::LibArchive APPEND PROPERTY
             INTERFACE_LINK_LIBRARIES ${LIBARCHIVE_STATIC_STATIC_LIBRARIES})
find_package(SQLite3 REQUIRED)
set_property(TARGET SQLite::SQLite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES m z)

foreach(feature SYSTEMD NFTABLES CURL)
  if(IRK_WITH_${feature})
    message(FATAL_ERROR "IRK_STATIC: Debian has no static archive of the library behind "
                        "IRK_WITH_${feature}; configure with -DIRK_WITH_${feature}=OFF")
  endif()
endforeach()
