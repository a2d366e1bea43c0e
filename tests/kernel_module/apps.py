from django.apps import AppConfig


class KernelModuleConfig(AppConfig):
    """A module that exists only in the tests: installed by tests/test_module_kernel.py to prove that a module's
    folder, one line in INSTALLED_APPS and one URL include are all it takes."""

    name = "tests.kernel_module"
    label = "kernel_module"
    verbose_name = "测试模块"
