# Writes OUT, a C++ source defining irk::whois::BundledBootstrap (rdap.h)
# from the bootstrap files V4 and V6 (data/rdap/), each as a raw string
# literal. Run by the irk_whois build: cmake -DV4=... -DV6=... -DOUT=... -P
set(delimiter "irk_bootstrap")
foreach(name V4 V6)
  file(READ "${${name}}" text_${name})
  string(FIND "${text_${name}}" ")${delimiter}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${${name}} holds the raw string delimiter ${delimiter}")
  endif()
endforeach()
file(WRITE "${OUT}.partial"
  "// Generated from data/rdap/ by cmake/embed_bootstrap.cmake; do not edit.\n"
  "#include \"whois/rdap.h\"\n\n"
  "namespace irk::whois {\n\n"
  "std::string_view BundledBootstrap(bool v6) {\n"
  "  static constexpr char kIpv4[] = R\"${delimiter}(${text_V4})${delimiter}\";\n"
  "  static constexpr char kIpv6[] = R\"${delimiter}(${text_V6})${delimiter}\";\n"
  "  return v6 ? std::string_view(kIpv6, sizeof(kIpv6) - 1)\n"
  "            : std::string_view(kIpv4, sizeof(kIpv4) - 1);\n"
  "}\n\n"
  "}  // namespace irk::whois\n")
file(RENAME "${OUT}.partial" "${OUT}")
