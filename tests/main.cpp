// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
// The doctest runner and nothing else, compiled once per standard and shared by every test.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
