from . import bench_qualification
