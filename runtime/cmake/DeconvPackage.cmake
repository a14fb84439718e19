# The installed CMake package, `find_package(deconv)`. The runtime's
# standalone build and the whole project install the same deconvConfig.cmake;
# each component installs its own deconv<Component>Targets.cmake next to it,
# and the config loads the components it finds there. So a runtime-only
# install offers deconv::Runtime, a full one deconv::Runtime and deconv::JIT.
# It lives under runtime/ because the standalone build sees nothing outside.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Installs the targets exported as `deconv<component>Targets` (each with
# EXPORT_NAME <component>) as the imported deconv::<component>.
function(deconv_install_component component)
  install(EXPORT deconv${component}Targets
          NAMESPACE deconv::
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/deconv)
endfunction()

# Installs deconvConfig.cmake and deconvConfigVersion.cmake.
function(deconv_install_package_config)
  # No ABI promise yet: a program is built against the minor version it
  # finds.
  set(version 0.1.0)
  set(destination ${CMAKE_INSTALL_LIBDIR}/cmake/deconv)
  set(config_file ${CMAKE_CURRENT_BINARY_DIR}/deconvConfig.cmake)
  set(version_file ${CMAKE_CURRENT_BINARY_DIR}/deconvConfigVersion.cmake)
  configure_package_config_file(
    ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/deconvConfig.cmake.in ${config_file}
    INSTALL_DESTINATION ${destination})
  write_basic_package_version_file(${version_file}
    VERSION ${version} COMPATIBILITY SameMinorVersion)
  install(FILES ${config_file} ${version_file} DESTINATION ${destination})
endfunction()
