# Packaging entry points (see the README, "Install"). Other targets may be added.
.PHONY: package deb

# One-folder bundle: dist/hyperframes-desktop/
package:
	bash packaging/build.sh

# Debian package: dist/hyperframes-desktop_<version>_<arch>.deb (builds the bundle first)
deb: package
	bash packaging/build-deb.sh

.PHONY: run test screenshot
# The README's two commands.
run:
	bash scripts/run.sh
test:
	bash scripts/test.sh

# The studio under Xvfb on the demo project, saved as docs/screenshot.png
screenshot:
	bash scripts/screenshot.sh docs/screenshot.png
