from regions.roles import Role, role_of


def portal(request):
    role = role_of(getattr(request, "user", None))
    return {
        "portal_role": role,
        "Role": Role,
    }
