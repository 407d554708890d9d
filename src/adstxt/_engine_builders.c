/* Builders of records, comments, diagnostics and fixes for the compiled checker, in C.
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

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyTypeObject *cls;
    Py_ssize_t count;    /* slots filled */
    Py_ssize_t required; /* arguments at least; the slots after the arguments get None */
    Py_ssize_t offsets[MOST_SLOTS];
} SlotBuilder;

static PyObject *
builder_call(SlotBuilder *self, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (self->cls == NULL) {
        PyErr_SetString(PyExc_TypeError, "this builder was cleared");
        return NULL;
    }
    if (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0) {
        PyErr_Format(PyExc_TypeError, "a %s builder takes no keyword arguments",
                     self->cls->tp_name);
        return NULL;
    }
    if (nargs < self->required || nargs > self->count) {
        PyErr_Format(PyExc_TypeError,
                     "a %s builder takes %zd to %zd positional arguments, not %zd",
                     self->cls->tp_name, self->required, self->count, nargs);
        return NULL;
    }
    /* Zeroed, and tracked by the collector when the class is; nothing here can run the
     * collector before every slot is set. */
    PyObject *made = self->cls->tp_alloc(self->cls, 0);
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
    self->cls = (PyTypeObject *)Py_NewRef(cls);
    self->count = count;
    self->required = required;
    self->vectorcall = (vectorcallfunc)builder_call;
    return (PyObject *)self;
}

static int
builder_traverse(SlotBuilder *self, visitproc visit, void *arg)
{
    Py_VISIT(self->cls);
    return 0;
}

static int
builder_clear(SlotBuilder *self)
{
    Py_CLEAR(self->cls);
    return 0;
}

static void
builder_dealloc(SlotBuilder *self)
{
    PyObject_GC_UnTrack(self);
    builder_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
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
    .tp_traverse = (traverseproc)builder_traverse,
    .tp_clear = (inquiry)builder_clear,
    .tp_vectorcall_offset = offsetof(SlotBuilder, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_new = builder_new,
    .tp_dealloc = (destructor)builder_dealloc,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "adstxt._engine_builders_c",
    .m_doc = "Builders of records, comments, diagnostics and fixes for the compiled checker.",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__engine_builders_c(void)
{
    if (PyType_Ready(&SlotBuilderType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "SlotBuilder", (PyObject *)&SlotBuilderType) < 0
        || PyModule_AddObject(m, "SOURCE_CRC", PyLong_FromUnsignedLong(SOURCE_CRC)) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
