/* suggest.c - "did you mean": the valid name closest to a mistyped one, by
 * edit distance. */
#include <sanctionsim/suggest.h>

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Names longer than this are never close to anything. */
#define NAME_CAP 63

/* Same letters, ignoring case. */
static bool same(char a, char b)
{
    return tolower((unsigned char)a) == tolower((unsigned char)b);
}

/* Edit distance between a and b, ignoring case: insertions, deletions,
 * substitutions and swaps of two adjacent letters ("rnu" is one edit from
 * "run") each count 1 (optimal string alignment distance); 99 if either is
 * longer than NAME_CAP. Three rows of the dynamic-programming table. */
static int edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > NAME_CAP || lb > NAME_CAP)
        return 99;
    int rows[3][NAME_CAP + 1];
    int *two = rows[0], *prev = rows[1], *row = rows[2];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int best = prev[j - 1] + !same(a[i - 1], b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) &&
                same(a[i - 2], b[j - 1]) && two[j - 2] + 1 < best)
                best = two[j - 2] + 1;
            row[j] = best;
        }
        int *t = two;
        two = prev;
        prev = row;
        row = t;
    }
    return prev[lb];
}

int sim_suggest(const char *name, const char *const *valid, int n, char *buf,
                size_t size)
{
    int best = -1, bestd = 99;
    for (int i = 0; i < n; i++) {
        int d = edit_distance(name, valid[i]);
        if (d < bestd) {
            bestd = d;
            best = i;
        }
    }
    /* Longer names tolerate more slips. */
    size_t len = strlen(name);
    int limit = len <= 4 ? 1 : (len <= 8 ? 2 : 3);
    if (best >= 0 && bestd <= limit) {
        snprintf(buf, size, "; did you mean '%s'?", valid[best]);
        return 1;
    }
    size_t used = (size_t)snprintf(buf, size, "; valid here:");
    for (int i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, " %s", valid[i]);
    return 0;
}
