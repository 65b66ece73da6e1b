// The translation unit that compiles the precompiled header of cmake/LinkRay.cmake (linkray_pch).
