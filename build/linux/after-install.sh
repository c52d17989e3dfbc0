#!/bin/sh
# Installed by the .deb: lets members of plugdev open NFC and barcode readers (see build/udev/).
if [ -d /etc/udev/rules.d ] && [ -f /opt/Box\ Office/resources/udev/70-box-office-readers.rules ]; then
  cp "/opt/Box Office/resources/udev/70-box-office-readers.rules" /etc/udev/rules.d/ || true
  udevadm control --reload-rules 2>/dev/null || true
fi
