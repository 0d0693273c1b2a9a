# The node_exporter capture that tests and benchmarks read (proc, sys, udev/data of real hosts). It ships as
# ../shared/fixtures/node_exporter.tar.gz because a plain copy of the folder loses its symbolic links; it is unpacked
# at configure time into <build>/fixtures/node_exporter, and again when the archive is newer than the unpacked copy.
# Without the archive nothing is unpacked, and whatever needs the tree skips with a message.
#
# Sets HW_EXPORTER_NODE_TREE, where the tree is (or would be), in the including directory.

set(HW_EXPORTER_NODE_TREE "${CMAKE_BINARY_DIR}/fixtures/node_exporter")
set(hw_exporter_node_archive "${PROJECT_SOURCE_DIR}/../shared/fixtures/node_exporter.tar.gz")

if(EXISTS "${hw_exporter_node_archive}")
  # A stamp rather than the tree's own times, which are the archive members' times.
  set(hw_exporter_node_stamp "${CMAKE_BINARY_DIR}/fixtures/node_exporter.unpacked")
  if("${hw_exporter_node_archive}" IS_NEWER_THAN "${hw_exporter_node_stamp}"
     OR NOT IS_DIRECTORY "${HW_EXPORTER_NODE_TREE}/proc")
    message(STATUS "Unpacking the node_exporter capture into ${HW_EXPORTER_NODE_TREE}")
    file(REMOVE_RECURSE "${HW_EXPORTER_NODE_TREE}")
    file(ARCHIVE_EXTRACT INPUT "${hw_exporter_node_archive}" DESTINATION "${CMAKE_BINARY_DIR}/fixtures")
    file(TOUCH "${hw_exporter_node_stamp}")
  endif()
  # A newer archive makes the next build configure again, and so unpack it.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${hw_exporter_node_archive}")
endif()
