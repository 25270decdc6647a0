"""The contract of the meddev mixins, checked when the registry loads.

The stage permission mixin builds on the signature mixin, which builds on the
audit mixin. A model or mixin that refines one of their hooks (a method or an
attribute named ``_meddev_*``, ``_audit_*`` or ``_signature_*``) must come
before it in ``_inherit``: listed after, its definition is never used (the core
mixin's does not call ``super()``) and the control it adds silently does
nothing. Such a model stops the registry from loading, with the fix in the
message.
"""

CORE_MIXINS = (
    "meddev.stage.permission.mixin",
    "meddev.signature.mixin",
    "meddev.audit.mixin",
)
HOOK_PREFIXES = ("_meddev_", "_audit_", "_signature_")


def _calls_super(value):
    func = getattr(value, "__func__", value)
    code = getattr(func, "__code__", None)
    return code is not None and "super" in code.co_names


def _shadowed_hooks(klass, core):
    """The hooks ``klass`` defines that ``core`` (before it in the MRO)
    hides: defined in core's chain by a definition that does not call super."""
    chain = core.__mro__
    for attr in vars(klass):
        if not attr.startswith(HOOK_PREFIXES):
            continue
        definer = next((k for k in chain if attr in vars(k)), None)
        if definer is None:
            continue
        defined = vars(definer)[attr]
        if callable(getattr(defined, "__func__", defined)) and _calls_super(defined):
            continue
        yield attr


def inherits(model_class, name):
    """The class of model ``name`` in the MRO of ``model_class`` (its registry
    class comes before its definitions), or None. By name: a registry rebuilt
    for tests makes new classes of the same models."""
    return next(
        (k for k in model_class.__mro__ if k.__dict__.get("_name") == name), None
    )


def mixin_order_errors(model_class):
    """Why ``model_class`` (a registry class) breaks the mixin contract: one
    message per hook hidden by a core mixin listed before its refiner."""
    mro = model_class.__mro__
    errors = []
    for name in CORE_MIXINS:
        core = inherits(model_class, name)
        if core is None or core is model_class:
            continue
        chain = set(core.__mro__)
        for klass in mro[mro.index(core) + 1 :]:
            if klass in chain:
                continue
            for attr in _shadowed_hooks(klass, core):
                errors.append(
                    f"model {model_class._name}: {klass._name or klass.__name__} "
                    f"(module {getattr(klass, '_module', '?')}) defines {attr}, "
                    f"but comes after {name} in _inherit, which hides it: list "
                    f"{klass._name or klass.__name__} before {name}."
                )
    return errors


def check_mixin_order(model_class):
    errors = mixin_order_errors(model_class)
    if errors:
        raise TypeError("meddev mixin contract broken:\n" + "\n".join(errors))
