/* The compact seller table of adstxt._engine_sellers, in C.
 *
 * The same table as adstxt._engine_sellers.SellerTable, in the same memory: an index of
 * 4-byte slots (at most two thirds taken) and the entries in the order they came, in
 * chunks of a fixed size, 12 bytes each (the low 32 bits of the seller's hash, and 64 bits:
 * its next 30 bits above the packed first record). Compiled code reads an array.array only
 * through generic calls that box every index and item; here a look-up is a few loads. The
 * Python class stays the reference and the fallback: see that module for what the table
 * holds and why.
 *
 * On a big file a look-up waits mostly for memory, so two things differ from the Python
 * layout. An entry's hash and record lie side by side (one array of three 32-bit words per
 * entry, not two arrays). And a slot of an index of 2**b slots holds 1 + the position of
 * its entry in its low b bits (positions stay below the number of slots) and the top 32 - b
 * bits of the entry's hash above them, so that probing past other sellers' slots rarely
 * reads their entries: a new seller, the usual case, costs one read of the index.
 *
 * That one read is still a read at random in megabytes, which waits for main memory
 * (a tenth of the time of a whole check of a big file). So a Bloom filter of four bits
 * per slot, in blocks of one cache line, tells first whether a seller may be in the table
 * at all. A seller it has never seen (nearly every new seller) is appended to the entries
 * and left out of the index for now: such pending entries are placed in the index
 * together, reading ahead, before anything looks the index up.
 *
 * Built by hatch_build.py with the compiled checker; adstxt._engine_choice uses it only
 * when its SOURCE_CRC matches the installed sources.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#ifndef SOURCE_CRC
#define SOURCE_CRC 0UL
#endif

#define HASH_MASK ((UINT64_C(1) << 62) - 1)
#define FIRST_MASK ((UINT64_C(1) << 32) - 1)
#define CHECK_MASK ((UINT64_C(1) << 30) - 1)
#define CHECK_SHIFT 33
#define PACKED_LIMIT (INT64_C(1) << CHECK_SHIFT)
#define RECORD_MASK (PACKED_LIMIT - 1)
#define FAR 1
#define CHUNK_BITS 15
#define CHUNK_SIZE (1 << CHUNK_BITS)
#define CHUNK_MASK (CHUNK_SIZE - 1)
#define FIRST_SLOTS (1 << 10)
#define MOST_BITS 22 /* the most slots expect() makes at once: 2**22 */

/* Per entry: the low 32 bits of the hash, then the low and high halves of the value. */
typedef struct {
    uint32_t words[3 * CHUNK_SIZE];
} Chunk;

#define ENTRY(self, position) \
    (&(self)->chunks[(position) >> CHUNK_BITS]->words[3 * ((position) & CHUNK_MASK)])

static inline int64_t
entry_value(const uint32_t *entry)
{
    return (int64_t)((uint64_t)entry[1] | (uint64_t)entry[2] << 32);
}

static inline void
set_entry_value(uint32_t *entry, int64_t value)
{
    entry[1] = (uint32_t)(uint64_t)value;
    entry[2] = (uint32_t)((uint64_t)value >> 32);
}

typedef struct {
    PyObject_HEAD
    uint32_t *index; /* NULL only after an allocation failed */
    uint64_t mask;   /* slots - 1 */
    int bits;        /* slots == 1 << bits */
    Chunk **chunks;
    Py_ssize_t chunk_count;
    Py_ssize_t chunk_room;
    Py_ssize_t count;
    Py_ssize_t placed; /* the entries before this one are in the index; the rest pending */
    Py_ssize_t expected;
    uint64_t *bloom;      /* NULL only after an allocation failed */
    uint64_t bloom_mask;  /* blocks - 1; a block is BLOCK_WORDS words, one cache line */
    PyObject *far; /* "domain\nkey" -> packed record past line 2**31 */
} SellerTable;

#define BLOCK_WORDS 8          /* 512 bits */
#define SLOTS_PER_BLOCK 128    /* so four bits per slot */
#define READ_AHEAD 8           /* pending entries placed ahead of the one being placed */

/* The bits of a seller's hash in the filter: a block from the high half, three bits of
 * it from the low half (the index's slot also comes from the low half, but the two are
 * separate structures). */
static inline uint64_t *
bloom_block(const SellerTable *self, uint64_t mixed)
{
    return &self->bloom[((mixed >> 32) & self->bloom_mask) * BLOCK_WORDS];
}

static inline int
bloom_may_hold(const SellerTable *self, uint64_t mixed)
{
    const uint64_t *block = bloom_block(self, mixed);
    for (int i = 0; i < 3; i++) {
        unsigned bit = (unsigned)(mixed >> (9 * i)) & 511u;
        if (!(block[bit >> 6] >> (bit & 63) & 1u)) {
            return 0;
        }
    }
    return 1;
}

static inline void
bloom_add(SellerTable *self, uint64_t mixed)
{
    uint64_t *block = bloom_block(self, mixed);
    for (int i = 0; i < 3; i++) {
        unsigned bit = (unsigned)(mixed >> (9 * i)) & 511u;
        block[bit >> 6] |= UINT64_C(1) << (bit & 63);
    }
}

/* Free everything the table holds and make it empty (the index NULL until made again). */
static void
table_release(SellerTable *self)
{
    PyMem_RawFree(self->index);
    PyMem_RawFree(self->bloom);
    for (Py_ssize_t i = 0; i < self->chunk_count; i++) {
        PyMem_RawFree(self->chunks[i]);
    }
    PyMem_RawFree(self->chunks);
    Py_CLEAR(self->far);
    self->index = NULL;
    self->bloom = NULL;
    self->chunks = NULL;
    self->chunk_count = self->chunk_room = 0;
    self->count = self->placed = 0;
}

static int
table_init(SellerTable *self, PyObject *args, PyObject *kwargs)
{
    if (PyTuple_GET_SIZE(args) != 0 || (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0)) {
        PyErr_SetString(PyExc_TypeError, "SellerTable() takes no arguments");
        return -1;
    }
    if (self->index != NULL && self->bloom != NULL) {
        return 0; /* __init__ called again: the table stays as it is */
    }
    /* The first call, or one after an allocation failed: start afresh, leaking nothing. */
    table_release(self);
    self->index = PyMem_RawCalloc(FIRST_SLOTS, sizeof(uint32_t));
    self->bloom = PyMem_RawCalloc(FIRST_SLOTS / SLOTS_PER_BLOCK * BLOCK_WORDS, sizeof(uint64_t));
    self->far = PyDict_New();
    if (self->index == NULL || self->bloom == NULL || self->far == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->mask = FIRST_SLOTS - 1;
    self->bits = 10;
    self->bloom_mask = FIRST_SLOTS / SLOTS_PER_BLOCK - 1;
    return 0;
}

static void
table_dealloc(SellerTable *self)
{
    table_release(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t
table_len(SellerTable *self)
{
    return self->count;
}

/* The 62 bits of a seller's hash that its entry keeps: the low 32 beside the value. */
static inline uint64_t
entry_mixed(const uint32_t *entry)
{
    return (uint64_t)entry[0] | (uint64_t)((entry_value(entry) >> CHECK_SHIFT) & CHECK_MASK) << 32;
}

/* Place the entry at `position` in the index (it is in no slot yet). */
static inline void
place(SellerTable *self, Py_ssize_t position)
{
    uint32_t first = ENTRY(self, position)[0];
    uint64_t mask = self->mask;
    uint64_t slot = first & mask;
    while (self->index[slot] != 0) {
        slot = (slot + 1) & mask;
    }
    self->index[slot] = (first >> self->bits << self->bits) | (uint32_t)(position + 1);
}

/* Place the pending entries, asking for the slot of an entry a few ahead while one is
 * placed, so that the reads from memory overlap instead of following each other. */
static void
place_pending(SellerTable *self)
{
    Py_ssize_t count = self->count;
    for (Py_ssize_t position = self->placed; position < count; position++) {
#if defined(__GNUC__) || defined(__clang__)
        if (position + READ_AHEAD < count) {
            uint32_t ahead = ENTRY(self, position + READ_AHEAD)[0];
            __builtin_prefetch(&self->index[ahead & self->mask], 1);
        }
#endif
        place(self, position);
    }
    self->placed = count;
}

/* Make a new index of 2**bits slots, and a filter to match, and place every entry in
 * them; the old ones are freed first (the entries suffice), as the Python table does, to
 * keep the peak low. */
static int
place_again(SellerTable *self, int bits)
{
    if (bits > 31) {
        PyErr_SetString(PyExc_OverflowError, "more than 2**30 sellers");
        return -1;
    }
    uint64_t slots = UINT64_C(1) << bits;
    uint64_t blocks = slots / SLOTS_PER_BLOCK;
    PyMem_RawFree(self->index);
    PyMem_RawFree(self->bloom);
    self->index = PyMem_RawCalloc((size_t)slots, sizeof(uint32_t));
    self->bloom = PyMem_RawCalloc((size_t)(blocks * BLOCK_WORDS), sizeof(uint64_t));
    if (self->index == NULL || self->bloom == NULL) {
        PyMem_RawFree(self->index);
        PyMem_RawFree(self->bloom);
        self->index = NULL;
        self->bloom = NULL;
        PyErr_NoMemory();
        return -1;
    }
    self->mask = slots - 1;
    self->bits = bits;
    self->bloom_mask = blocks - 1;
    self->placed = 0;
    for (Py_ssize_t position = 0; position < self->count; position++) {
        bloom_add(self, entry_mixed(ENTRY(self, position)));
    }
    place_pending(self);
    return 0;
}

static PyObject *
far_pair(PyObject *domain, PyObject *key)
{
    if (!PyUnicode_Check(domain) || !PyUnicode_Check(key)) {
        PyErr_SetString(PyExc_TypeError, "a seller past line 2**31 needs str keys");
        return NULL;
    }
    return PyUnicode_FromFormat("%U\n%U", domain, key);
}

static int
far_set(SellerTable *self, PyObject *domain, PyObject *key, int64_t packed)
{
    PyObject *pair = far_pair(domain, key);
    if (pair == NULL) {
        return -1;
    }
    PyObject *value = PyLong_FromLongLong(packed);
    int failed = value == NULL || PyDict_SetItem(self->far, pair, value) < 0;
    Py_XDECREF(value);
    Py_DECREF(pair);
    return failed ? -1 : 0;
}

/* The record remembered for the seller (or, with `replace`, `packed` now remembered in
 * its place); on a miss, `packed` remembered and returned, or -1 when `packed` is -1.
 * Sets *error on failure. */
static int64_t
find(SellerTable *self, PyObject *domain, PyObject *key, int64_t packed, int replace,
     int *error)
{
    *error = 0;
    if (self->index == NULL || self->bloom == NULL) {
        PyErr_NoMemory();
        *error = 1;
        return -1;
    }
    Py_hash_t key_hash = PyObject_Hash(key);
    if (key_hash == -1) {
        *error = 1;
        return -1;
    }
    Py_hash_t domain_hash = PyObject_Hash(domain);
    if (domain_hash == -1) {
        *error = 1;
        return -1;
    }
    uint64_t mixed = ((uint64_t)key_hash ^ (uint64_t)domain_hash) & HASH_MASK;
    uint32_t first = (uint32_t)(mixed & FIRST_MASK);
    int64_t check = (int64_t)((mixed >> 32) & CHECK_MASK) << CHECK_SHIFT;
    uint64_t mask = self->mask;
    int bits = self->bits;
    uint32_t tag = first >> bits << bits;
    uint64_t slot = first & mask;
    uint32_t *index = self->index;
    /* A seller the filter has never seen is not in the table: its entry is added without
     * a look at the index, and placed there later. */
    int unseen = !bloom_may_hold(self, mixed);
    if (!unseen && self->placed < self->count) {
        place_pending(self);
    }
    while (!unseen) {
        uint32_t at = index[slot];
        if (at == 0) {
            break;
        }
        if ((at >> bits << bits) != tag) {
            slot = (slot + 1) & mask;
            continue;
        }
        uint32_t *entry = ENTRY(self, (at & mask) - 1);
        if (entry[0] == first) {
            int64_t value = entry_value(entry);
            if ((value & ~RECORD_MASK) == check) {
                value &= RECORD_MASK;
                if (value == FAR) {
                    PyObject *pair = far_pair(domain, key);
                    if (pair == NULL) {
                        *error = 1;
                        return -1;
                    }
                    if (replace) {
                        PyObject *boxed = PyLong_FromLongLong(packed);
                        int failed = boxed == NULL || PyDict_SetItem(self->far, pair, boxed) < 0;
                        Py_XDECREF(boxed);
                        Py_DECREF(pair);
                        *error = failed;
                        return packed;
                    }
                    PyObject *found = PyDict_GetItemWithError(self->far, pair);
                    Py_DECREF(pair);
                    if (found == NULL) {
                        if (!PyErr_Occurred()) {
                            PyErr_SetString(PyExc_KeyError, "seller past line 2**31");
                        }
                        *error = 1;
                        return -1;
                    }
                    int64_t far_value = PyLong_AsLongLong(found);
                    *error = far_value == -1 && PyErr_Occurred();
                    return far_value;
                }
                if (replace) {
                    if (packed >= PACKED_LIMIT) {
                        set_entry_value(entry, check | FAR);
                        *error = far_set(self, domain, key, packed) < 0;
                    }
                    else {
                        set_entry_value(entry, check | packed);
                    }
                    return packed;
                }
                return value;
            }
        }
        slot = (slot + 1) & mask;
    }
    if (packed < 0) {
        return packed;
    }
    int64_t stored = packed;
    if (packed >= PACKED_LIMIT) {
        if (far_set(self, domain, key, packed) < 0) {
            *error = 1;
            return -1;
        }
        stored = FAR;
    }
    Py_ssize_t position = self->count;
    if ((position & CHUNK_MASK) == 0) {
        if (position == 0 && self->expected > FIRST_SLOTS) {
            /* The first entry: make the index as big as expect() asked, and place it. */
            int bits = 10;
            while (3 * (uint64_t)self->expected > (UINT64_C(2) << bits) && bits < MOST_BITS) {
                bits++;
            }
            self->expected = 0;
            if (place_again(self, bits) < 0) {
                *error = 1;
                return -1;
            }
            return find(self, domain, key, packed, replace, error);
        }
        if (self->chunk_count == self->chunk_room) {
            Py_ssize_t room = self->chunk_room ? 2 * self->chunk_room : 8;
            Chunk **chunks = PyMem_RawRealloc(self->chunks, (size_t)room * sizeof(Chunk *));
            if (chunks == NULL) {
                PyErr_NoMemory();
                *error = 1;
                return -1;
            }
            self->chunks = chunks;
            self->chunk_room = room;
        }
        Chunk *chunk = PyMem_RawMalloc(sizeof(Chunk));
        if (chunk == NULL) {
            PyErr_NoMemory();
            *error = 1;
            return -1;
        }
        self->chunks[self->chunk_count++] = chunk;
    }
    uint32_t *entry = ENTRY(self, position);
    entry[0] = first;
    set_entry_value(entry, check | stored);
    self->count = position + 1;
    bloom_add(self, mixed);
    if (!unseen) {
        /* Every entry before it is placed (see above), and so now is this one. */
        index[slot] = tag | (uint32_t)(position + 1);
        self->placed = self->count;
    }
    if (3 * (uint64_t)self->count >= 2 * (mask + 1)) {
        if (place_again(self, bits + 1) < 0) {
            *error = 1;
            return -1;
        }
    }
    return packed;
}

static int
packed_arg(PyObject *arg, int64_t *packed)
{
    if (!PyLong_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "a packed record is an int");
        return -1;
    }
    *packed = PyLong_AsLongLong(arg);
    return *packed == -1 && PyErr_Occurred() ? -1 : 0;
}

static PyObject *
table_setdefault(SellerTable *self, PyObject *const *args, Py_ssize_t nargs)
{
    int64_t packed;
    int error;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "setdefault(domain, key, packed)");
        return NULL;
    }
    if (packed_arg(args[2], &packed) < 0) {
        return NULL;
    }
    int64_t found = find(self, args[0], args[1], packed, 0, &error);
    if (error) {
        return NULL;
    }
    if (found == packed) {
        return Py_NewRef(args[2]); /* a miss (nearly always): no new int */
    }
    return PyLong_FromLongLong(found);
}

static PyObject *
table_get(SellerTable *self, PyObject *const *args, Py_ssize_t nargs)
{
    int error;
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "get(domain, key)");
        return NULL;
    }
    int64_t found = find(self, args[0], args[1], -1, 0, &error);
    return error ? NULL : PyLong_FromLongLong(found);
}

static PyObject *
table_put(SellerTable *self, PyObject *const *args, Py_ssize_t nargs)
{
    int64_t packed;
    int error;
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "put(domain, key, packed)");
        return NULL;
    }
    if (packed_arg(args[2], &packed) < 0) {
        return NULL;
    }
    if (packed < 0) {
        PyErr_SetString(PyExc_ValueError, "a packed record is not negative");
        return NULL;
    }
    find(self, args[0], args[1], packed, 1, &error);
    if (error) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
table_expect(SellerTable *self, PyObject *arg)
{
    Py_ssize_t sellers = PyLong_AsSsize_t(arg);
    if (sellers == -1 && PyErr_Occurred()) {
        return NULL;
    }
    self->expected = sellers;
    Py_RETURN_NONE;
}

static PyMethodDef table_methods[] = {
    {"setdefault", (PyCFunction)(void (*)(void))table_setdefault, METH_FASTCALL,
     "The packed record remembered for this seller, else `packed`, now remembered."},
    {"get", (PyCFunction)(void (*)(void))table_get, METH_FASTCALL,
     "The packed record remembered for this seller, or -1."},
    {"put", (PyCFunction)(void (*)(void))table_put, METH_FASTCALL,
     "Remember `packed` for this seller, in the place of what was remembered."},
    {"expect", (PyCFunction)table_expect, METH_O,
     "Size the index for about `sellers` entries when the first entry comes."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods table_as_sequence = {
    .sq_length = (lenfunc)table_len,
};

static PyTypeObject SellerTableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "adstxt._engine_sellers_c.SellerTable",
    .tp_doc = "Packed first records of sellers, by ad system and account ID key.",
    .tp_basicsize = sizeof(SellerTable),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)table_init,
    .tp_dealloc = (destructor)table_dealloc,
    .tp_methods = table_methods,
    .tp_as_sequence = &table_as_sequence,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "adstxt._engine_sellers_c",
    .m_doc = "The compact seller table of adstxt._engine_sellers, in C.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__engine_sellers_c(void)
{
    if (PyType_Ready(&SellerTableType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "SellerTable", (PyObject *)&SellerTableType) < 0
        || PyModule_AddObject(m, "SOURCE_CRC", PyLong_FromUnsignedLong(SOURCE_CRC)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
