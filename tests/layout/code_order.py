#!/usr/bin/env python3
"""The daemon's code is laid out as cmake/code_order.txt lists it, and the list still names the daemon's code.

  code_order.py BINARY ORDER_FILE

Fails when the linker did not follow the list (the functions it names that the binary has are not at the start of
the text, in the listed order), or when fewer than MIN_FOUND of the functions it lists (the split-off cold parts
aside, which most functions do not have) are in the binary any more: then the code has changed under the list, and
scripts/code_order.py writes it anew.
"""

import collections
import subprocess
import sys

MIN_FOUND = 0.8


def text_symbols(binary):
    """Where each function symbol of the binary lies (address, size), by name (a name local to two sources has
    two places); where the text starts."""
    places = collections.defaultdict(list)
    for line in subprocess.run(["nm", "-S", binary], capture_output=True, text=True, check=True).stdout.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[2] in "tTwW":
            places[fields[3]].append((int(fields[0], 16), int(fields[1], 16)))
    sections = subprocess.run(["readelf", "-SW", binary], capture_output=True, text=True, check=True).stdout
    fields = next(line.split() for line in sections.splitlines() if " .text " in line)
    return places, int(fields[fields.index(".text") + 2], 16)


def main():
    binary, order_file = sys.argv[1:3]
    with open(order_file) as lines:
        listed = [line.strip() for line in lines if line.strip()]
    places, text_start = text_symbols(binary)

    whole = [name for name in listed if not name.endswith(".cold")]
    found = [name for name in whole if name in places]
    share = len(found) / len(whole)
    print(f"{len(found)} of the {len(whole)} functions listed are in the binary ({share:.0%})")
    failures = []
    if share < MIN_FOUND:
        failures.append(f"fewer than {MIN_FOUND:.0%} of the listed functions are in the binary: the code has changed "
                        "under cmake/code_order.txt; write it anew with scripts/code_order.py")

    # In the listed order, as far as a name says which function it is.
    end = text_start
    for name in listed:
        if len(places.get(name, [])) != 1:
            continue
        address, size = places[name][0]
        if address < end:
            failures.append(f"{name} at {address:#x} is not after the function listed before it (ends {end:#x})")
            break
        end = address + size
    # Together at the start of the text: functions are aligned to 16 bytes (some to 64), so little lies between.
    listed_places = [place for name in set(listed) for place in places.get(name, [])]
    listed_bytes = sum(size for _, size in listed_places)
    span = max(address + size for address, size in listed_places) - text_start
    print(f"the listed functions fill {span} bytes from the text's start ({listed_bytes} bytes of code)")
    if span > listed_bytes * 1.1 + 4096:
        failures.append(f"the listed functions ({listed_bytes} bytes) span {span} bytes from the text's start: "
                        "other code lies among them")
    for failure in failures:
        print("FAIL:", failure)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
