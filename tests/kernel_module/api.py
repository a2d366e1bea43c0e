from ninja import Router

router = Router(tags=["测试模块"])


@router.get("/ping", summary="测试模块的接口")
def ping(request):
    return {"module": "kernel", "user": request.user.username}
