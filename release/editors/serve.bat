@echo off
rem Double-click to preview the site in this folder: http://127.0.0.1:1313/
cd /d "%~dp0"
dangwu.exe serve
pause
