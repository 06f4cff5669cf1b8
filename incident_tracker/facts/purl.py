"""Package URLs (https://github.com/package-url/purl-spec) for software components."""

from packageurl import PackageURL

MAX_LENGTH = 300


def validate_package_url(text: str) -> str:
    """Return the canonical form of a package URL such as pkg:pypi/litellm@1.82.7."""
    try:
        purl = PackageURL.from_string(text.strip())
    except ValueError as error:
        raise ValueError(
            f"not a package URL ({error}); for example pkg:pypi/litellm@1.82.7"
        ) from error
    canonical = purl.to_string()
    if len(canonical) > MAX_LENGTH:
        raise ValueError(f"the package URL is longer than {MAX_LENGTH} characters once encoded")
    return canonical
