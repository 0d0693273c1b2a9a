# civetweb is compiled from Debian's source package rather than linked from libcivetweb1: that library is built
# without IPv6 and its TLS crashes under OpenSSL 3. The source is kept outside the tree, in a cache directory that
# scripts/setup.sh fills with `apt-get source civetweb`; when it is missing, configuring fetches it the same way.
set(HW_EXPORTER_CIVETWEB_CACHE "$ENV{HOME}/.cache/hw_exporter" CACHE PATH
    "Directory holding the unpacked Debian civetweb source package")

file(GLOB civetweb_dirs LIST_DIRECTORIES true "${HW_EXPORTER_CIVETWEB_CACHE}/civetweb-*")
list(FILTER civetweb_dirs EXCLUDE REGEX "\\.(tar|dsc)")
if(NOT civetweb_dirs)
  message(STATUS "Fetching civetweb's Debian source package into ${HW_EXPORTER_CIVETWEB_CACHE}")
  file(MAKE_DIRECTORY "${HW_EXPORTER_CIVETWEB_CACHE}")
  execute_process(COMMAND apt-get source -qq civetweb
    WORKING_DIRECTORY "${HW_EXPORTER_CIVETWEB_CACHE}" RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0)
    message(FATAL_ERROR "apt-get source civetweb failed: run scripts/setup.sh (it adds the deb-src entry)")
  endif()
  file(GLOB civetweb_dirs LIST_DIRECTORIES true "${HW_EXPORTER_CIVETWEB_CACHE}/civetweb-*")
  list(FILTER civetweb_dirs EXCLUDE REGEX "\\.(tar|dsc)")
endif()
list(GET civetweb_dirs 0 CIVETWEB_SOURCE_DIR)
message(STATUS "civetweb source: ${CIVETWEB_SOURCE_DIR}")

add_library(civetweb_static STATIC ${CIVETWEB_SOURCE_DIR}/src/civetweb.c)
target_include_directories(civetweb_static SYSTEM PUBLIC ${CIVETWEB_SOURCE_DIR}/include)
target_compile_definitions(civetweb_static
  PUBLIC NO_SSL_DL OPENSSL_API_1_1 USE_IPV6
  # civetweb's threads look at the stop flag once per quantum of waiting (2 s by default). Every wake-up costs an
  # idle exporter CPU, so the quantum is an hour, and stopping wakes them instead: the gate shuts the connections it
  # handed over down, and HttpServer knocks on the listener until it has stopped. A wait to write, the one whose
  # length is the quantum, is bounded in src/http/civetweb_waits.cpp.
  PRIVATE NO_CGI NO_FILES NO_CACHING SOCKET_TIMEOUT_QUANTUM=3600000)
target_compile_options(civetweb_static PRIVATE -w)
set_target_properties(civetweb_static PROPERTIES POSITION_INDEPENDENT_CODE ON)
target_link_libraries(civetweb_static PUBLIC OpenSSL::SSL OpenSSL::Crypto Threads::Threads ${CMAKE_DL_LIBS})
