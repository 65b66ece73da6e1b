# One-line helpers so every module and every test is declared the same way.

# Warnings for LinkRay's own code only (Qt's headers are system includes and stay quiet).
function(linkray_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    # qCWarning(category) << ... is Qt's own idiom: an empty variadic argument.
    target_compile_options(${target} PRIVATE -Wno-gnu-zero-variadic-macro-arguments)
  endif()
  if(LINKRAY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  target_compile_definitions(${target} PRIVATE QT_NO_CAST_FROM_ASCII QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
                                               QT_NO_KEYWORDS LINKRAY_VERSION="${PROJECT_VERSION}")
endfunction()

# linkray_add_module(<name> SOURCES ... [DEPENDS ...]) -> static library linkray_<name>, headers under src/
function(linkray_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(linkray_${name} STATIC ${ARG_SOURCES})
  target_include_directories(linkray_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(linkray_${name} PUBLIC ${ARG_DEPENDS})
  linkray_set_warnings(linkray_${name})
endfunction()

# linkray_add_qtest(<module> <name> [SOURCES ...] [LIBS ...]) -> tst_<name> from tests/<module>/tst_<name>.cpp, in CTest
function(linkray_add_qtest module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  set(target tst_${module}_${name})
  add_executable(${target} tst_${name}.cpp ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE Qt6::Test linkray_${module} ${ARG_LIBS})
  linkray_set_warnings(${target})
  add_test(NAME ${module}.${name} COMMAND ${target})
  set_tests_properties(${module}.${name} PROPERTIES LABELS "unit;${module}" TIMEOUT 120
                       ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
