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

# Parsing Qt Core's headers is a third of the compile time of a translation unit. Every module, test and fixture
# reuses one precompiled set of the ones nearly every file includes. GCC accepts a precompiled header only where each
# macro it mentions is defined alike, so its owner links Qt Core alone: the QT_<MODULE>_LIB macros other Qt modules add
# are not mentioned by Qt Core's headers, while Qt Test's are (qtest.h reads QT_GUI_LIB, QT_NETWORK_LIB), which is why
# <QTest> stays out. LINKRAY_PCH=OFF (the fuzz preset) builds without, so a file that misses an #include fails there.
option(LINKRAY_PCH "Precompile the Qt Core headers every target shares" ON)
if(LINKRAY_PCH)
  add_library(linkray_pch OBJECT ${PROJECT_SOURCE_DIR}/cmake/pch.cpp)
  target_link_libraries(linkray_pch PRIVATE Qt6::Core)
  linkray_set_warnings(linkray_pch)
  target_precompile_headers(linkray_pch PRIVATE <QByteArray> <QDateTime> <QHash> <QJsonArray> <QJsonDocument>
                            <QJsonObject> <QList> <QLoggingCategory> <QObject> <QString> <functional> <memory> <optional>)
endif()

function(linkray_use_pch target)
  if(LINKRAY_PCH)
    target_precompile_headers(${target} REUSE_FROM linkray_pch)
  endif()
endfunction()

# linkray_add_module(<name> SOURCES ... [DEPENDS ...]) -> static library linkray_<name>, headers under src/
function(linkray_add_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPENDS" ${ARGN})
  add_library(linkray_${name} STATIC ${ARG_SOURCES})
  target_include_directories(linkray_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(linkray_${name} PUBLIC ${ARG_DEPENDS})
  linkray_set_warnings(linkray_${name})
  linkray_use_pch(linkray_${name})
endfunction()

# linkray_add_qtest(<module> <name> [SOURCES ...] [LIBS ...]) -> tst_<name> from tests/<module>/tst_<name>.cpp, in CTest
function(linkray_add_qtest module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  set(target tst_${module}_${name})
  add_executable(${target} tst_${name}.cpp ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE Qt6::Test linkray_${module} ${ARG_LIBS})
  linkray_set_warnings(${target})
  linkray_use_pch(${target})
  add_test(NAME ${module}.${name} COMMAND ${target})
  set_tests_properties(${module}.${name} PROPERTIES LABELS "unit;${module}" TIMEOUT 120
                       ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()

# linkray_add_test_fixture(<name> SOURCES ... [LIBS ...]) -> static library linkray_fixture_<name>: a helper several
# tests share is compiled once, and its header is found from the test's directory.
function(linkray_add_test_fixture name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_library(linkray_fixture_${name} STATIC ${ARG_SOURCES})
  target_include_directories(linkray_fixture_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(linkray_fixture_${name} PUBLIC Qt6::Test ${ARG_LIBS})
  linkray_set_warnings(linkray_fixture_${name})
  linkray_use_pch(linkray_fixture_${name})
endfunction()
