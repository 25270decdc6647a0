from . import bench_models
