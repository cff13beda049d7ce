# relec: one binary, bin/relec, from cmd/*.c and lib/*.c.
#   make            build bin/relec (needs the -dev packages: make deps)
#   make deps       install the missing Debian packages (as root, apt-get)
#   make demo       set up, build, validate the examples and show the result
#   make check      set up, build, run every test; last line "N passed, N failed"
#   make check-asan the same tests under AddressSanitizer and UBSan
#   make bench      benchmarks (never run by check)
#   make install PREFIX=/usr/local
BUILD  ?= build
BIN    ?= bin
PREFIX ?= /usr/local
CC     ?= cc
PKGS   := libcsv yaml-0.1 libpcre2-8 sqlite3 xlsxwriter minizip expat icu-uc icu-i18n libsodium
# Debian's libcsv and GLPK ship no .pc file: they are linked by name.
# GLPK (libglpk-dev) solves compare's suppression audit: the same solver
# sdcTable (R) uses for secondary cell suppression.
PKG_CFLAGS = $(shell pkg-config --cflags $(filter-out libcsv,$(PKGS)) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(filter-out libcsv,$(PKGS)) 2>/dev/null) -lcsv -lglpk -lm
# CFLAGS is the caller's (optimisation, sanitizers); what the code needs is
# added in ALL_CFLAGS, so `make CFLAGS=...` cannot drop it.
CFLAGS ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Ilib $(PKG_CFLAGS) \
             -DRELEC_SCHEMA_DIR='"$(PREFIX)/share/relec/schemas"' $(CFLAGS)
LDLIBS += $(PKG_LIBS)

DEB_PKGS := libcsv-dev libyaml-dev libpcre2-dev libsqlite3-dev libxlsxwriter-dev \
            libminizip-dev libexpat1-dev libicu-dev libsodium-dev libglpk-dev pkg-config \
            iso-codes gnumeric python3 python3-openpyxl python3-yaml sqlite3 time zip unzip

LIB_SRC  := $(wildcard lib/*.c)
CMD_SRC  := $(wildcard cmd/*.c)
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CMD_OBJ  := $(CMD_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.1.0)

.PHONY: all deps demo check check-asan unit bench install install-files clean fuzz format
all: $(BIN)/relec

$(BUILD)/%.o: %.c $(wildcard lib/*.h cmd/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -DRELEC_VERSION='"$(VERSION)"' -c -o $@ $<

$(BUILD)/librelec.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/relec: $(CMD_OBJ) $(BUILD)/librelec.a
	@mkdir -p $(BIN)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/librelec.a $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/librelec.a tests/unit/t.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Itests/unit -o $@ $< $(BUILD)/librelec.a $(LDLIBS)

# test_options iterates the commands' option tables: it links cmd/ but main.o
CMD_LIB_OBJ := $(filter-out $(BUILD)/cmd/main.o,$(CMD_OBJ))
$(BUILD)/tests/test_options: tests/unit/test_options.c $(CMD_LIB_OBJ) $(BUILD)/librelec.a tests/unit/t.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Icmd -Itests/unit -o $@ $< $(CMD_LIB_OBJ) $(BUILD)/librelec.a $(LDLIBS)

# Installs only what is missing, so a set-up machine runs no apt-get at all.
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root to install:" $$missing >&2; exit 1; fi; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	fi

demo: deps
	@$(MAKE) --no-print-directory all
	@sh examples/demo.sh

unit: $(UNIT_BIN)

check: deps
	@$(MAKE) --no-print-directory all unit
	@BUILD=$(BUILD) RELEC=$(BIN)/relec sh tests/run.sh

check-asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan BIN=build-asan/bin \
	  CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  LDFLAGS="-fsanitize=address,undefined" all unit
	@ASAN_OPTIONS=detect_leaks=1 BUILD=build-asan RELEC=build-asan/bin/relec sh tests/run.sh

bench: deps
	@$(MAKE) --no-print-directory all
	@sh bench/run.sh

fuzz:
	@sh tests/fuzz/run.sh

# install-files installs what is built (BIN), without building: the install
# test runs it on the binary under test
install: all
	@$(MAKE) --no-print-directory install-files

install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/relec/schemas/codes $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN)/relec $(DESTDIR)$(PREFIX)/bin/relec
	install -m 644 schemas/*.yaml schemas/population.csv $(DESTDIR)$(PREFIX)/share/relec/schemas/
	install -m 644 schemas/codes/*.yaml $(DESTDIR)$(PREFIX)/share/relec/schemas/codes/
	@mkdir -p $(BUILD)
	install -d $(DESTDIR)$(PREFIX)/share/relec/schemas/lang
	install -m 644 schemas/lang/*.yaml $(DESTDIR)$(PREFIX)/share/relec/schemas/lang/
	$(BIN)/relec --man > $(BUILD)/relec.1
	install -m 644 $(BUILD)/relec.1 $(DESTDIR)$(PREFIX)/share/man/man1/relec.1

format:
	clang-format -i lib/*.c lib/*.h cmd/*.c cmd/*.h tests/unit/*.c

clean:
	rm -rf build build-asan bin
