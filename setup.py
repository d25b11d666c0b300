"""What pyproject.toml cannot say about the build.

- The package list: the packages found under dairy_desktop/ plus the folders pyproject.toml
  maps into the package (alembic/ and resources/ stay at the top of the repository).
- resources/ ships its icons but not make_icons.py, the developer script that draws them:
  setuptools takes every .py file of a package as a module, and only data files can be
  excluded by pattern.
"""

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

MAPPED_FOLDERS = [
    "dairy_desktop._migrations",
    "dairy_desktop._migrations.versions",
    "dairy_desktop._resources",
]
DATA_ONLY = {"dairy_desktop._resources"}


class BuildPy(build_py):  # type: ignore[misc]
    def find_package_modules(self, package: str, package_dir: str) -> list[tuple[str, str, str]]:
        if package in DATA_ONLY:
            return []
        return super().find_package_modules(package, package_dir)  # type: ignore[no-any-return]


setup(
    packages=[*find_packages(include=["dairy_desktop", "dairy_desktop.*"]), *MAPPED_FOLDERS],
    cmdclass={"build_py": BuildPy},
)
