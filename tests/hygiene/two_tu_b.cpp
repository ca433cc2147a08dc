// SPDX-FileCopyrightText: 2026 The azmi authors
// SPDX-License-Identifier: MIT
#include <azmi/azmi.hpp>
#include <azmi/testing/mock_transport.hpp>

int azmi_two_tu_b_value() {
    azmi::header_map headers{{"X-Answer", "42"}};
    return std::stoi(std::string(headers.value_or("x-answer", "0")));
}
