"""The national volunteer system (全国志愿服务信息系统): its batch-import templates as an
export format, and its exported records as an import (民政部令第67号)."""
