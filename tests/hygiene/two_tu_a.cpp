// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/azmi.hpp>
#include <azmi/testing/mock_transport.hpp>
#include <doctest/doctest.h>

int azmi_two_tu_b_value();

TEST_CASE("hygiene: two translation units including everything link into one program") {
    CHECK(azmi_two_tu_b_value() == 42);
    CHECK(std::string(azmi::version_string) == AZMI_VERSION_STRING);
}
