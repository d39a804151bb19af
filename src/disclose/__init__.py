"""disclose: 部门决算公开文档生成器."""
__version__ = "0.1.0"
