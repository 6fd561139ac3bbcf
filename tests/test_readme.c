/* The README's walkthrough works as typed: every shell command of the code blocks marked
 * "<!-- test: run in order -->" runs, in order, in a fresh HOME against the built knead, and
 * exits 0 (or the code its comment documents as "# exit N"). */
#define _XOPEN_SOURCE 700
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define MARKER "<!-- test: run in order -->"
#define MAX_COMMANDS 128

typedef struct command {
    char *text;
    int expect;
    int line;
} command;

/* Where a comment starts on a line: a '#' after a space, outside quotes. */
static char *comment_start(char *line)
{
    char quote = 0;
    for (char *p = line; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
        } else if (*p == '#' && (p == line || p[-1] == ' ')) {
            return p;
        }
    }
    return NULL;
}

static void append(char **buf, const char *text)
{
    size_t n = *buf ? strlen(*buf) : 0;
    *buf = realloc(*buf, n + strlen(text) + 1);
    assert_non_null(*buf);
    strcpy(*buf + n, text);
}

/* The commands of the marked blocks: continuation lines joined, comments dropped (an
 * "exit N" comment is the expected status), a here-document kept with its command. */
static size_t read_commands(const char *readme, command *out)
{
    char *copy = strdup(readme);
    assert_non_null(copy);
    size_t n = 0;
    bool marked = false, in_block = false, run = false;
    char *heredoc_end = NULL;
    command *cur = NULL;
    int lineno = 0;
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        bool fence = strncmp(line, "```", 3) == 0;
        if (!in_block) {
            if (strstr(line, MARKER))
                marked = true;
            else if (fence)
                in_block = true, run = marked, marked = false;
            continue;
        }
        if (fence) {
            in_block = run = false;
            continue;
        }
        if (!run)
            continue;
        if (heredoc_end) {
            append(&cur->text, "\n");
            append(&cur->text, line);
            if (strcmp(line, heredoc_end) == 0) {
                free(heredoc_end);
                heredoc_end = NULL;
                cur = NULL;
            }
            continue;
        }
        char *hash = comment_start(line);
        int expect = 0;
        if (hash) {
            sscanf(hash, "# exit %d", &expect);
            *hash = '\0';
        }
        size_t len = strlen(line);
        while (len && line[len - 1] == ' ')
            line[--len] = '\0';
        bool more = len && line[len - 1] == '\\';
        if (more)
            line[--len] = '\0';
        if (!cur) {
            if (!len)
                continue;
            assert_true(n < MAX_COMMANDS);
            cur = &out[n++];
            *cur = (command){.expect = expect, .line = lineno};
        } else if (expect) {
            cur->expect = expect;
        }
        append(&cur->text, line);
        char *here = strstr(line, "<<'");
        if (here) {
            char *end = strchr(here + 3, '\'');
            assert_non_null(end);
            heredoc_end = strndup(here + 3, (size_t)(end - here - 3));
            continue;
        }
        if (!more)
            cur = NULL;
    }
    assert_null(heredoc_end);
    free(copy);
    return n;
}

static int run_shell(const char *home, const char *cmd, char **err)
{
    char *err_path = kt_path(home, ".stderr");
    char bin_dir[4096];
    snprintf(bin_dir, sizeof bin_dir, "%s", KNEAD_BIN);
    *strrchr(bin_dir, '/') = '\0';
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char path[8192];
        snprintf(path, sizeof path, "%s:%s", bin_dir, getenv("PATH") ? getenv("PATH") : "/bin");
        setenv("PATH", path, 1);
        setenv("HOME", home, 1);
        unsetenv("KNEAD_DB");
        unsetenv("XDG_DATA_HOME");
        int in = open("/dev/null", O_RDONLY);
        int out = open("/dev/null", O_WRONLY);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || e < 0 || chdir(home) != 0)
            _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(e, 2);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    assert_true(waitpid(pid, &status, 0) == pid);
    *err = kt_read_file(err_path);
    free(err_path);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void test_readme_commands_run_in_order(void **state)
{
    (void)state;
    char *readme = kt_read_file(KNEAD_SOURCE_DIR "/README.md");
    assert_non_null(readme);
    command cmds[MAX_COMMANDS];
    size_t n = read_commands(readme, cmds);
    /* the walkthrough is there and covers the commands people start with */
    assert_true(n >= 20);
    const char *const must[] = {"knead init",    "knead person add", "knead log",
                                "knead demo",    "knead insights",   "knead plan",
                                "knead session", "knead diary"};
    for (size_t i = 0; i < sizeof must / sizeof must[0]; i++) {
        bool found = false;
        for (size_t k = 0; k < n && !found; k++)
            found = strncmp(cmds[k].text, must[i], strlen(must[i])) == 0;
        if (!found)
            fail_msg("README walkthrough lacks '%s'", must[i]);
    }
    char *home = kt_tmpdir();
    for (size_t i = 0; i < n; i++) {
        char *err = NULL;
        int status = run_shell(home, cmds[i].text, &err);
        if (status != cmds[i].expect)
            fail_msg("README.md:%d: '%s' exited %d, not %d: %s", cmds[i].line, cmds[i].text, status,
                     cmds[i].expect, err ? err : "");
        free(err);
        free(cmds[i].text);
    }
    kt_rmtree(home);
    free(readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readme_commands_run_in_order),
    };
    return cmocka_run_group_tests_name("readme", tests, NULL, NULL);
}
