/* Builders of records, comments, diagnostics and fixes for the compiled checker, and a
 * writer of their fields as JSON rows, in C.
 *
 * adstxt.model._make_record fills a mutable twin of Record field by field and then gives
 * it its final class: each store is a generic attribute assignment and the class change
 * checks both layouts, about half of what parsing a clean record line costs. A
 * SlotBuilder made for a slotted class and the names of some of its slots does the same
 * in one call: it allocates an instance through the class's own allocator and stores each
 * argument in its slot, at the offset the slot's member descriptor gives. The instance is
 * the same as the Python builder's (class, fields, equality, hash, repr); the class's
 * __init__ is not run, so a builder is only made for classes whose __init__ does nothing
 * but store its arguments (attrs classes without converters or validators). Slots named
 * after the arguments given are set to None (a diagnostic's JSON pointer, say).
 *
 * A SlotRows reads the other way: made for a slotted class and the names of some of its
 * slots, it writes a sequence of instances as a JSON array of arrays of those slots'
 * values, as json.dumps(..., ensure_ascii=False, separators=(",", ":")) writes the same
 * lists; the store keeps every body's records and findings so, and json's encoder spends
 * most of its time on the lists it is given, not on the text it writes. A value it does
 * not write the same way (anything but an int, a str or None, an int past 64 bits, a
 * string with a lone surrogate) raises, and the caller writes the rows with json instead.
 *
 * Built by hatch_build.py with the compiled checker; adstxt._engine_choice uses it only
 * when its SOURCE_CRC matches the installed sources.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#ifndef SOURCE_CRC
#define SOURCE_CRC 0UL
#endif

/* Diagnostic has nine fields; room to spare, checked when a builder is made. */
#define MOST_SLOTS 12

/* What a builder and a row writer both start with: how they are called, and the class whose
 * slots they fill or read (cleared, and so NULL, only while the collector breaks a cycle). */
typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyTypeObject *cls;
} SlotUser;

static int
slot_user_traverse(SlotUser *self, visitproc visit, void *arg)
{
    Py_VISIT(self->cls);
    return 0;
}

static int
slot_user_clear(SlotUser *self)
{
    Py_CLEAR(self->cls);
    return 0;
}

static void
slot_user_dealloc(SlotUser *self)
{
    PyObject_GC_UnTrack(self);
    slot_user_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

typedef struct {
    SlotUser base;
    Py_ssize_t count;    /* slots filled */
    Py_ssize_t required; /* arguments at least; the slots after the arguments get None */
    Py_ssize_t offsets[MOST_SLOTS];
} SlotBuilder;

static PyObject *
builder_call(SlotBuilder *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (self->base.cls == NULL) {
        PyErr_SetString(PyExc_TypeError, "this builder was cleared");
        return NULL;
    }
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0) {
        PyErr_Format(PyExc_TypeError, "a %s builder takes no keyword arguments",
                     self->base.cls->tp_name);
        return NULL;
    }
    if (nargs < self->required || nargs > self->count) {
        PyErr_Format(PyExc_TypeError,
                     "a %s builder takes %zd to %zd positional arguments, not %zd",
                     self->base.cls->tp_name, self->required, self->count, nargs);
        return NULL;
    }
    /* Zeroed, and tracked by the collector when the class is; nothing here can run the
     * collector before every slot is set. */
    PyObject *made = self->base.cls->tp_alloc(self->base.cls, 0);
    if (made == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        *(PyObject **)((char *)made + self->offsets[i]) = Py_NewRef(args[i]);
    }
    for (Py_ssize_t i = nargs; i < self->count; i++) {
        *(PyObject **)((char *)made + self->offsets[i]) = Py_NewRef(Py_None);
    }
    return made;
}

/* The offset of a writable object slot of `cls`, or -1 with an error set. */
static Py_ssize_t
slot_offset(PyTypeObject *cls, PyObject *name)
{
    if (!PyUnicode_Check(name)) {
        PyErr_SetString(PyExc_TypeError, "slot names are str");
        return -1;
    }
    PyObject *descriptor = PyObject_GetAttr((PyObject *)cls, name);
    if (descriptor == NULL) {
        return -1;
    }
    Py_ssize_t offset = -1;
    /* A slot of the class or of a base of it (so its offset is in this layout). */
    if (Py_IS_TYPE(descriptor, &PyMemberDescr_Type)
        && PyType_IsSubtype(cls, ((PyMemberDescrObject *)descriptor)->d_common.d_type)) {
        PyMemberDef *member = ((PyMemberDescrObject *)descriptor)->d_member;
        if (member->type == T_OBJECT_EX && !(member->flags & READONLY)
            && member->offset >= (Py_ssize_t)sizeof(PyObject)
            && member->offset + (Py_ssize_t)sizeof(PyObject *) <= cls->tp_basicsize) {
            offset = member->offset;
        }
    }
    Py_DECREF(descriptor);
    if (offset < 0) {
        PyErr_Format(PyExc_TypeError, "%R is not a slot of %s", name, cls->tp_name);
    }
    return offset;
}

static PyObject *
builder_new(PyTypeObject *subtype, PyObject *args, PyObject *kwargs)
{
    PyObject *cls;
    PyObject *names;
    Py_ssize_t required = -1;
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0) {
        PyErr_SetString(PyExc_TypeError, "SlotBuilder(cls, names[, required]) takes no keywords");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "O!O!|n:SlotBuilder", &PyType_Type, &cls, &PyTuple_Type, &names,
                          &required)) {
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    if (count > MOST_SLOTS) {
        PyErr_Format(PyExc_ValueError, "a builder fills at most %d slots", MOST_SLOTS);
        return NULL;
    }
    if (required == -1) {
        required = count;
    }
    if (required < 0 || required > count) {
        PyErr_SetString(PyExc_ValueError, "required is between 0 and the number of slots");
        return NULL;
    }
    PyTypeObject *type = (PyTypeObject *)cls;
    if (type->tp_itemsize != 0 || type->tp_alloc == NULL) {
        PyErr_Format(PyExc_TypeError, "%s is not a class of fixed-size instances",
                     type->tp_name);
        return NULL;
    }
    /* Only what object.__new__ makes: an instance of a subclass of dict, say, or of a
     * class with a __new__ of its own, needs more than zeroed memory to be whole. */
    if (type->tp_new != PyBaseObject_Type.tp_new) {
        PyErr_Format(PyExc_TypeError, "%s makes its instances with a __new__ of its own",
                     type->tp_name);
        return NULL;
    }
    SlotBuilder *self = (SlotBuilder *)subtype->tp_alloc(subtype, 0);
    if (self == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t offset = slot_offset(type, PyTuple_GET_ITEM(names, i));
        if (offset < 0) {
            Py_DECREF(self);
            return NULL;
        }
        for (Py_ssize_t j = 0; j < i; j++) {
            if (self->offsets[j] == offset) {
                Py_DECREF(self);
                PyErr_SetString(PyExc_ValueError, "a slot is named twice");
                return NULL;
            }
        }
        self->offsets[i] = offset;
    }
    self->base.cls = (PyTypeObject *)Py_NewRef(cls);
    self->count = count;
    self->required = required;
    self->base.vectorcall = (vectorcallfunc)builder_call;
    return (PyObject *)self;
}

static PyTypeObject SlotBuilderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "adstxt._engine_builders_c.SlotBuilder",
    .tp_doc = "SlotBuilder(cls, names[, required]): a callable that makes an instance of a "
              "slotted class from one positional argument per named slot (at least "
              "`required` of them; None for the rest), without calling __init__.",
    .tp_basicsize = sizeof(SlotBuilder),
    /* Collected: a builder kept on its own class makes a cycle. */
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)slot_user_traverse,
    .tp_clear = (inquiry)slot_user_clear,
    .tp_vectorcall_offset = offsetof(SlotUser, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_new = builder_new,
    .tp_dealloc = (destructor)slot_user_dealloc,
};

/* ---- SlotRows ------------------------------------------------------------------------ */

typedef struct {
    SlotUser base;
    Py_ssize_t count;
    Py_ssize_t offsets[MOST_SLOTS];
} SlotRows;

typedef struct {
    char *data;
    Py_ssize_t size;
    Py_ssize_t used;
    int ascii; /* nothing but ASCII written: the text is made without decoding it */
} Buffer;

static int
buffer_reserve(Buffer *buffer, Py_ssize_t more)
{
    if (buffer->used + more <= buffer->size) {
        return 0;
    }
    Py_ssize_t size = buffer->size ? buffer->size : 4096;
    while (size < buffer->used + more) {
        if (size > PY_SSIZE_T_MAX / 2) {
            PyErr_NoMemory();
            return -1;
        }
        size *= 2;
    }
    char *data = PyMem_Realloc(buffer->data, (size_t)size);
    if (data == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    buffer->data = data;
    buffer->size = size;
    return 0;
}

static int
buffer_put(Buffer *buffer, const char *text, Py_ssize_t length)
{
    if (buffer_reserve(buffer, length) < 0) {
        return -1;
    }
    memcpy(buffer->data + buffer->used, text, (size_t)length);
    buffer->used += length;
    return 0;
}

/* A str as a JSON string: '"' and '\\' and the control characters escaped as json's
 * encoder escapes them (\n, \r, \t, \b, \f, else \u00xx), everything else as UTF-8. */
static int
put_string(Buffer *buffer, PyObject *text)
{
    Py_ssize_t length;
    const char *bytes = PyUnicode_AsUTF8AndSize(text, &length);
    if (bytes == NULL) {
        return -1;
    }
    if (!PyUnicode_IS_ASCII(text)) {
        buffer->ascii = 0;
    }
    /* Room for exactly what is written: a long text is mostly copied as it is. */
    Py_ssize_t escaped = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c < 0x20) {
            escaped += (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') ? 1 : 5;
        }
        else if (c == '"' || c == '\\') {
            escaped += 1;
        }
    }
    if (length > PY_SSIZE_T_MAX - 2 - escaped
        || buffer_reserve(buffer, length + escaped + 2) < 0) {
        if (!PyErr_Occurred()) {
            PyErr_NoMemory();
        }
        return -1;
    }
    static const char hex[] = "0123456789abcdef";
    char *out = buffer->data + buffer->used;
    *out++ = '"';
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)bytes[i];
        if (c >= 0x20 && c != '"' && c != '\\') {
            *out++ = (char)c;
            continue;
        }
        *out++ = '\\';
        switch (c) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '\n': *out++ = 'n'; break;
        case '\r': *out++ = 'r'; break;
        case '\t': *out++ = 't'; break;
        case '\b': *out++ = 'b'; break;
        case '\f': *out++ = 'f'; break;
        default:
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 0xf];
        }
    }
    *out++ = '"';
    buffer->used = out - buffer->data;
    return 0;
}

static int
put_value(Buffer *buffer, PyObject *value)
{
    if (value == Py_None) {
        return buffer_put(buffer, "null", 4);
    }
    if (PyUnicode_Check(value)) {
        return put_string(buffer, value);
    }
    if (PyLong_CheckExact(value)) {
        int overflow;
        long long number = PyLong_AsLongLongAndOverflow(value, &overflow);
        if (overflow || (number == -1 && PyErr_Occurred())) {
            if (!PyErr_Occurred()) {
                PyErr_SetString(PyExc_OverflowError, "an int past 64 bits");
            }
            return -1;
        }
        char digits[24];
        char *end = digits + sizeof digits;
        char *start = end;
        unsigned long long magnitude = number < 0 ? 0ULL - (unsigned long long)number
                                                  : (unsigned long long)number;
        do {
            *--start = (char)('0' + magnitude % 10);
            magnitude /= 10;
        } while (magnitude);
        if (number < 0) {
            *--start = '-';
        }
        return buffer_put(buffer, start, end - start);
    }
    PyErr_Format(PyExc_TypeError, "a row value is an int, a str or None, not %s",
                 Py_TYPE(value)->tp_name);
    return -1;
}

static PyObject *
rows_call(SlotRows *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    if (self->base.cls == NULL) {
        PyErr_SetString(PyExc_TypeError, "this writer was cleared");
        return NULL;
    }
    if (PyVectorcall_NARGS(nargsf) != 1 || (kwnames != NULL && PyTuple_GET_SIZE(kwnames))) {
        PyErr_SetString(PyExc_TypeError, "a row writer takes one sequence of instances");
        return NULL;
    }
    /* A list or a tuple only: an iterator it used up would leave nothing for the caller's
     * json to write when a value is refused. */
    if (!PyList_Check(args[0]) && !PyTuple_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "a row writer takes a list or a tuple of instances");
        return NULL;
    }
    PyObject *items = PySequence_Fast(args[0], "a row writer takes a list or a tuple");
    if (items == NULL) {
        return NULL;
    }
    Buffer buffer = {NULL, 0, 0, 1};
    PyObject *written = NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(items);
    if (buffer_put(&buffer, "[", 1) < 0) {
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(items, i);
        if (!Py_IS_TYPE(item, self->base.cls)) {
            PyErr_Format(PyExc_TypeError, "a %s row writer was given a %s",
                         self->base.cls->tp_name, Py_TYPE(item)->tp_name);
            goto done;
        }
        if (buffer_put(&buffer, i ? ",[" : "[", i ? 2 : 1) < 0) {
            goto done;
        }
        for (Py_ssize_t j = 0; j < self->count; j++) {
            PyObject *value = *(PyObject **)((char *)item + self->offsets[j]);
            if (value == NULL) {
                PyErr_Format(PyExc_AttributeError, "a %s has a slot not set",
                             self->base.cls->tp_name);
                goto done;
            }
            if ((j && buffer_put(&buffer, ",", 1) < 0) || put_value(&buffer, value) < 0) {
                goto done;
            }
        }
        if (buffer_put(&buffer, "]", 1) < 0) {
            goto done;
        }
    }
    if (buffer_put(&buffer, "]", 1) < 0) {
        goto done;
    }
    if (buffer.ascii) {
        written = PyUnicode_New(buffer.used, 127);
        if (written != NULL) {
            memcpy(PyUnicode_DATA(written), buffer.data, (size_t)buffer.used);
        }
    }
    else {
        written = PyUnicode_DecodeUTF8(buffer.data, buffer.used, "strict");
    }
done:
    PyMem_Free(buffer.data);
    Py_DECREF(items);
    return written;
}

static PyObject *
rows_new(PyTypeObject *subtype, PyObject *args, PyObject *kwargs)
{
    PyObject *cls;
    PyObject *names;
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0) {
        PyErr_SetString(PyExc_TypeError, "SlotRows(cls, names) takes no keywords");
        return NULL;
    }
    if (!PyArg_ParseTuple(args, "O!O!:SlotRows", &PyType_Type, &cls, &PyTuple_Type, &names)) {
        return NULL;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(names);
    if (count == 0 || count > MOST_SLOTS) {
        PyErr_Format(PyExc_ValueError, "a row writer reads 1 to %d slots", MOST_SLOTS);
        return NULL;
    }
    SlotRows *self = (SlotRows *)subtype->tp_alloc(subtype, 0);
    if (self == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        Py_ssize_t offset = slot_offset((PyTypeObject *)cls, PyTuple_GET_ITEM(names, i));
        if (offset < 0) {
            Py_DECREF(self);
            return NULL;
        }
        self->offsets[i] = offset;
    }
    self->base.cls = (PyTypeObject *)Py_NewRef(cls);
    self->count = count;
    self->base.vectorcall = (vectorcallfunc)rows_call;
    return (PyObject *)self;
}

static PyTypeObject SlotRowsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "adstxt._engine_builders_c.SlotRows",
    .tp_doc = "SlotRows(cls, names): a callable that writes a sequence of instances of a "
              "slotted class as the JSON text of a list of lists of the named slots' values.",
    .tp_basicsize = sizeof(SlotRows),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = (traverseproc)slot_user_traverse,
    .tp_clear = (inquiry)slot_user_clear,
    .tp_vectorcall_offset = offsetof(SlotUser, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_new = rows_new,
    .tp_dealloc = (destructor)slot_user_dealloc,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "adstxt._engine_builders_c",
    .m_doc = "Builders of records, comments, diagnostics and fixes for the compiled checker, "
             "and a writer of their fields as JSON rows.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__engine_builders_c(void)
{
    if (PyType_Ready(&SlotBuilderType) < 0 || PyType_Ready(&SlotRowsType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "SlotBuilder", (PyObject *)&SlotBuilderType) < 0
        || PyModule_AddObjectRef(m, "SlotRows", (PyObject *)&SlotRowsType) < 0
        || PyModule_AddObject(m, "SOURCE_CRC", PyLong_FromUnsignedLong(SOURCE_CRC)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
