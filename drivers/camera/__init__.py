"""The document camera (高拍仪): ``transport`` (an OpenCV VideoCapture on a V4L2 node or an MJPEG stream),
``protocol`` (frame checks, MJPEG framing, preview frames; pure), ``facade`` (the DocumentCamera the runner
drives and watches while a preview runs), ``simulator`` (sample certificates photographed on a desk, served
as MJPEG over HTTP on loopback), ``factory``."""
