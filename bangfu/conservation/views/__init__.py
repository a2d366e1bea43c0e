"""The conservation pages: the hub, the labs' catalogue and requests, 会诊 cases, restoration projects."""
