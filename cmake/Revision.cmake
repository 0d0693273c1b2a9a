# The git revision baked into hw_exporter_build_info; "unknown" outside a checkout. A build from a copy of the tree
# (scripts/package.sh) names it with -DHW_EXPORTER_REVISION=.
if(NOT DEFINED HW_EXPORTER_REVISION)
  execute_process(COMMAND git rev-parse --short=12 HEAD
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    OUTPUT_VARIABLE HW_EXPORTER_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_QUIET RESULT_VARIABLE revision_result)
  if(NOT revision_result EQUAL 0 OR HW_EXPORTER_REVISION STREQUAL "")
    set(HW_EXPORTER_REVISION "unknown")
  endif()
endif()
