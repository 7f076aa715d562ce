import{a}from"./chunk-3MG2F4ME.js";import"./chunk-XHKUZKQ4.js";import"./chunk-VHBKZHO4.js";import"./chunk-FFUZZOF5.js";import"./chunk-QKRQDTEI.js";import"./chunk-N5UICCG3.js";import"./chunk-SJ6QZ22X.js";export{a as TrainingView};
//# sourceMappingURL=chunk-T2SLNF5M.js.map
